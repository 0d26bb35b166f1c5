"""Where things live: the project's own folders and the user's XDG folders, each decided here once.

Every path the assistant reads or writes outside the current folder comes from this module, so
``XDG_CONFIG_HOME``, ``XDG_DATA_HOME`` and ``XDG_CACHE_HOME`` are honoured the same way everywhere.
Functions (not constants) for the user's folders: the environment is read at the time of use.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The checkout (or installed tree) that holds ``assistant/``, ``intents/`` and ``models/``.
PROJECT_DIR = Path(__file__).resolve().parents[2]
#: The intents that ship with the product, including the system pack.
SHIPPED_INTENTS = PROJECT_DIR / "intents"
SHIPPED_SYSTEM = SHIPPED_INTENTS / "system.yaml"
#: Speech models placed next to the code (``models/vosk-model-*``).
PROJECT_MODELS_DIR = PROJECT_DIR / "models"

APP_NAME = "assistant"


def _xdg(variable: str, *default: str) -> Path:
    value = os.environ.get(variable, "").strip()
    # The XDG spec says a relative value is invalid and must be ignored.
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home().joinpath(*default)


def config_home() -> Path:
    """``$XDG_CONFIG_HOME/assistant`` (``~/.config/assistant``): settings and drop-in intents."""
    return _xdg("XDG_CONFIG_HOME", ".config") / APP_NAME


def data_home() -> Path:
    """``$XDG_DATA_HOME/assistant`` (``~/.local/share/assistant``): summaries and downloaded models."""
    return _xdg("XDG_DATA_HOME", ".local", "share") / APP_NAME


def cache_home() -> Path:
    """``$XDG_CACHE_HOME/assistant`` (``~/.cache/assistant``): things that can be rebuilt at any time."""
    return _xdg("XDG_CACHE_HOME", ".cache") / APP_NAME


def user_intents_dir() -> Path:
    """Where drop-in intents live: ``$XDG_CONFIG_HOME/assistant/intents``."""
    return config_home() / "intents"


def user_models_dir() -> Path:
    """Where ``assistant models download`` puts models for this user, and where they are looked for."""
    return data_home() / "models"


def summaries_dir() -> Path:
    """Where conversation summaries are saved when the user asks for one."""
    return data_home() / "summaries"
