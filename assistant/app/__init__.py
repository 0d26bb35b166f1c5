"""Running a conversation: the session that joins a dialog to its input and outputs, the text and
JSON-lines adapters, and the handling of signals."""
