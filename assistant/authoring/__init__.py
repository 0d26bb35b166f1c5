"""Tools for people who write intents: ``assistant check`` and ``assistant test``.

- :mod:`assistant.authoring.workspace` loads intent files the way the assistant does, keeping each
  file's located YAML so later checks can point at a line.
- :mod:`assistant.authoring.lint` finds what the loader cannot see in one value: questions never
  asked, causes never named, dead or shadowed triage rules, clashing answer words, phrases that
  another intent or a command would take.
- :mod:`assistant.authoring.check` is the ``assistant check`` command.
- :mod:`assistant.authoring.casefile` reads conversation test files, and
  :mod:`assistant.authoring.conversation_tests` runs them (``assistant test``).
"""
