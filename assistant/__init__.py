"""An offline voice assistant that helps a person think through a worrying symptom, out loud."""

__version__ = "0.1.0"
