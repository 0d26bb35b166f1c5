"""The conversation: the dialog state machine, triage, the wording of a result, and the summary.

Pure: text and events in, events out. No audio, terminals, files or threads.
"""
