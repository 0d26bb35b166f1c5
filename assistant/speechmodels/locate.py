"""Where the Vosk model folder is, and whether it looks like one.

Order: an explicit ``--model PATH``, else ``$VOSK_MODEL_PATH``, else the first ``vosk-model-*``
folder under the project's ``models/`` directory, else under
``$XDG_DATA_HOME/assistant/models/`` (``~/.local/share/assistant/models/``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from assistant.base.paths import PROJECT_MODELS_DIR, user_models_dir

logger = logging.getLogger(__name__)

ENV_VAR = "VOSK_MODEL_PATH"
DOWNLOAD_COMMAND = "assistant models download"
MODEL_GLOB = "vosk-model-*"

#: Files every Vosk model folder has.
REQUIRED_FILES = ("am/final.mdl", "conf/model.conf")


class ModelError(Exception):
    """A speech model folder that is missing or unusable."""

    def __init__(self, folder: Path | str, reason: str) -> None:
        super().__init__(
            f"no usable speech model in {str(folder)!r}: {reason}. "
            f"Run `{DOWNLOAD_COMMAND}` to fetch one, or pass --model PATH "
            f"(or set {ENV_VAR}) to a Vosk model folder; use --text to continue in text mode."
        )
        self.folder = Path(folder)
        self.reason = reason


def default_search_dirs() -> tuple[Path, ...]:
    """Folders searched for ``vosk-model-*`` when no path is given."""
    return (PROJECT_MODELS_DIR, user_models_dir())


def check_model_folder(folder: Path) -> None:
    """Raise :class:`ModelError` unless ``folder`` has the files of a Vosk model."""
    if not folder.exists():
        raise ModelError(folder, "the folder does not exist")
    if not folder.is_dir():
        raise ModelError(folder, "it is not a folder")
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    graph = folder / "graph"
    has_static = (graph / "HCLG.fst").is_file()
    has_runtime = (graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file()
    if not (has_static or has_runtime):
        missing.append("graph/HCLG.fst (or graph/HCLr.fst and graph/Gr.fst)")
    if missing:
        raise ModelError(folder, "missing " + ", ".join(missing))


def find_model(search_dirs: Sequence[Path]) -> Path | None:
    """The first ``vosk-model-*`` folder (by name) in the first directory that has one."""
    for directory in search_dirs:
        if not directory.is_dir():
            continue
        candidates = sorted(p for p in directory.glob(MODEL_GLOB) if p.is_dir())
        if candidates:
            logger.debug("found model folders %s", [str(c) for c in candidates])
            return candidates[0]
    return None


def resolve_model_path(
    explicit: Path | str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    search_dirs: Sequence[Path] | None = None,
) -> Path | None:
    """The model folder to use, or None when none is configured or found.

    A folder named explicitly (argument or environment variable) must be a valid model folder;
    otherwise :class:`ModelError` is raised. A discovered folder is checked the same way.
    """
    env = os.environ if environ is None else environ
    if explicit is not None and str(explicit):
        folder = Path(explicit).expanduser()
    elif env.get(ENV_VAR):
        folder = Path(env[ENV_VAR]).expanduser()
    else:
        found = find_model(default_search_dirs() if search_dirs is None else search_dirs)
        if found is None:
            return None
        folder = found
    check_model_folder(folder)
    logger.info("using speech model %s", folder)
    return folder
