"""``assistant models list|download``: arguments, messages and exit codes.

The work is done by :mod:`assistant.speechmodels` (download, checks, install) and
:mod:`assistant.speechmodels.catalog` (the list of models); see the package for what is contacted and why
nothing looks installed until it is complete.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from assistant.speechmodels.catalog import (
    CATALOG_ENV,
    DEFAULT_MODEL,
    Catalog,
    CatalogError,
    catalog_url,
    format_table,
    is_plain_name,
    parse_catalog,
)
from assistant.speechmodels.client import DEFAULT_TIMEOUT, HttpClient, fetch_catalog, fetch_catalog_bytes
from assistant.speechmodels.errors import ModelDownloadError, NetworkError
from assistant.speechmodels.install import install_model, install_status, looks_like_vosk_model
from assistant.speechmodels.offline import (
    format_installed,
    installed_models,
    load_catalog_copy,
    save_catalog_copy,
)
from assistant.speechmodels.progress import Progress


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--dir", type=Path, help="models folder (default: the project's models/)")
    common.add_argument(
        "--catalog", metavar="URL", help=f"model catalog URL (default: ${CATALOG_ENV} or the official list)"
    )
    common.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS", help="network timeout"
    )
    parser = argparse.ArgumentParser(
        prog="assistant models", description="List and download Vosk speech models."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{list,download}")
    lister = commands.add_parser("list", parents=[common], help="show the models you can download")
    lister.add_argument("--lang", help="only this language, e.g. en or en-us")
    lister.add_argument("--all", action="store_true", help="include big and obsolete models")
    loader = commands.add_parser("download", parents=[common], help="download and install a model")
    loader.add_argument("name", nargs="?", default=DEFAULT_MODEL, help=f"default: {DEFAULT_MODEL}")
    return parser


def models_command(argv: Sequence[str], *, models_dir: Path, out: TextIO, err: TextIO) -> int:
    """``assistant models list|download``: 0 on success, 1 on failure, 2 on a usage error."""
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            args = _parser().parse_args(list(argv))
        except SystemExit as stop:
            return stop.code if isinstance(stop.code, int) else 2
    url = catalog_url(args.catalog, os.environ)
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        err.write(f"assistant models: error: the catalog must be an http(s) URL, got {url!r}\n")
        return 2
    if args.timeout <= 0:
        err.write("assistant models: error: --timeout must be a positive number of seconds\n")
        return 2
    folder: Path = args.dir or models_dir
    try:
        if args.command == "list":
            return _list(args, url=url, folder=folder, out=out, err=err)
        return _download(args, url=url, folder=folder, out=out, err=err)
    except (ModelDownloadError, CatalogError) as error:
        err.write(f"error: {error}\n")
    except KeyboardInterrupt:
        err.write("\ninterrupted: nothing was installed; run the same command again to resume\n")
    except OSError as error:
        err.write(f"error: {error.strerror or error} ({error.filename or folder}); nothing was installed\n")
    return 1


def _list(args: argparse.Namespace, *, url: str, folder: Path, out: TextIO, err: TextIO) -> int:
    lang: str | None = args.lang
    include_all: bool = args.all
    try:
        raw = fetch_catalog_bytes(url, timeout=args.timeout)
    except NetworkError as error:
        if error.status is not None:
            raise  # the server answered with an error: a wrong --catalog, not a missing network
        return _list_offline(args, folder, out, err, reason=str(error))
    catalog = parse_catalog(raw, source=url)
    save_catalog_copy(raw, url)
    _warn_problems(catalog, err)
    chosen = catalog.select(lang=lang, include_all=include_all)
    if not chosen:
        err.write(
            f"no {'' if include_all else 'small '}model for language {lang!r}; try --all, or another --lang\n"
        )
        return 1
    out.write(format_table(chosen, install_status(folder, [e.name for e in chosen])))
    if not include_all:
        out.write("(small, current models only: --all shows every model)\n")
    return 0


def _list_offline(args: argparse.Namespace, folder: Path, out: TextIO, err: TextIO, *, reason: str) -> int:
    """No network: the installed models, then the last catalog seen, saying it could not be refreshed."""
    err.write(f"warning: the model catalog could not be refreshed: {reason}\n")
    out.write(format_installed(installed_models(folder), folder))
    copy = load_catalog_copy()
    if copy is None:
        out.write("No catalog has been seen yet: run 'assistant models list' again when online.\n")
        return 0
    chosen = copy.catalog.select(lang=args.lang, include_all=args.all)
    out.write(f"\nLast catalog seen ({copy.fetched}, from {copy.source}; it may be out of date):\n")
    out.write(format_table(chosen, install_status(folder, [e.name for e in chosen])))
    return 0


def _download(args: argparse.Namespace, *, url: str, folder: Path, out: TextIO, err: TextIO) -> int:
    name: str = args.name
    timeout: float = args.timeout
    if not is_plain_name(name):
        err.write(f"assistant models: error: {name!r} is not a model name (see 'assistant models list')\n")
        return 2
    if looks_like_vosk_model(folder / name):
        out.write(f"{name} is already installed in {folder / name}\n")
        return 0
    catalog = fetch_catalog(url, timeout=timeout)
    _warn_problems(catalog, err)
    entry = catalog.get(name)
    if entry is None:
        broken = [p for p in catalog.problems if f"({name})" in p]
        if broken:
            err.write(
                f"error: the catalog entry for {name} is malformed ({broken[0]}); nothing was changed\n"
            )
            return 1
        close = catalog.suggest(name)
        hint = f": did you mean {' or '.join(close)}?" if close else "."
        err.write(
            f"error: unknown model {name!r}{hint} Run 'assistant models list --all' to see every model.\n"
        )
        return 1
    client = HttpClient(frozenset({urlsplit(url).hostname or ""}) | catalog.hosts(), timeout=timeout)
    result = install_model(entry, folder, client, progress=Progress(err, entry.name, entry.size))
    if result.already_installed:
        out.write(f"{name} is already installed in {result.path}\n")
    else:
        out.write(f"installed {name} in {result.path}\n")
    return 0


def _warn_problems(catalog: Catalog, err: TextIO) -> None:
    if catalog.problems:
        err.write(
            f"warning: skipped {len(catalog.problems)} malformed catalog "
            f"entr{'y' if len(catalog.problems) == 1 else 'ies'}: {catalog.problems[0]}\n"
        )
