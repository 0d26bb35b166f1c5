"""Understanding what a person said: normalising text, matching it to an intent, reading answers."""
