"""What can go wrong while downloading or installing a model; every message says what to do."""

from __future__ import annotations


class ModelDownloadError(Exception):
    """A download or install failed; the message says what happened and what to do."""


class NetworkError(ModelDownloadError):
    """The host could not be reached, answered an error, or the transfer broke off."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        #: The HTTP status when the server answered with an error.
        self.status = status


class IntegrityError(ModelDownloadError):
    """The archive is not the one the catalog describes (size, checksum, damaged zip)."""


class UnsafeArchiveError(ModelDownloadError):
    """The archive would write outside its folder, or is not shaped like a Vosk model."""
