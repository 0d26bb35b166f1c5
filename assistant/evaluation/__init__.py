"""Clinical vignettes played through the real dialog, and the scored report (``assistant evaluate``).

Modules: :mod:`.vignettes` (reading and checking a vignette file, problems as path:line),
:mod:`.simulate` (one vignette played as a simulated patient), :mod:`.report` (outcomes, rates with
Wilson intervals, per-level counts, text and JSON). The command is :mod:`assistant.evaluation.command`.
"""
