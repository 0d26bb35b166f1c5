"""``assistant models list|download`` against a real HTTP server on 127.0.0.1.

Every test downloads real bytes over a real socket from ``ModelServer`` (http.server in a thread,
ephemeral port), and checks what is on disk afterwards: the model folder, or nothing at all (no
partial file, no staging folder).
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import socket
import stat
import threading
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

import pytest

from assistant.speechmodels.archive import ExtractLimits
from assistant.speechmodels.catalog import CATALOG_ENV, DEFAULT_MODEL, parse_entry
from assistant.speechmodels.client import HttpClient
from assistant.speechmodels.command import models_command
from assistant.speechmodels.errors import UnsafeArchiveError
from assistant.speechmodels.install import install_model, looks_like_vosk_model, partial_path
from assistant.speechmodels.progress import Progress

NAME = "vosk-model-small-xx-test-0.1"


# --- A real HTTP server on 127.0.0.1, and builders for what it serves ----------------------------
# (Kept in this module: under --import-mode=importlib a test helper module is not importable.)

MODEL_FILES: dict[str, bytes] = {
    "am/final.mdl": b"acoustic model " * 64,
    "conf/model.conf": b"--min-active=200\n--max-active=3000\n",
    "conf/mfcc.conf": b"--sample-frequency=16000\n",
    "graph/HCLr.fst": b"fst " * 128,
    "graph/Gr.fst": b"grammar " * 32,
    "ivector/final.ie": b"ivector " * 32,
    "README": b"A fake Vosk model folder made by the tests.\n",
}


@dataclass
class Route:
    body: bytes
    content_type: str = "application/octet-stream"
    #: Honour ``Range`` requests with 206 (otherwise answer 200 with the whole body).
    ranges: bool = True
    #: Status to answer instead of serving the body (e.g. 404), or a redirect code with ``location``.
    status: int = 200
    location: str = ""
    #: For the next ``cut_times`` requests, stop sending at this absolute byte offset and close.
    cut_at: int | None = None
    cut_times: int = 1
    #: Omit Content-Length (the body then ends when the connection closes).
    send_length: bool = True
    #: Send this many bytes, then hang (until the server stops) instead of sending the rest.
    stall_at: int | None = None
    #: Send the body a few bytes at a time, this many seconds apart (a trickling server).
    trickle: float | None = None


@dataclass(frozen=True)
class Seen:
    path: str
    range: str | None
    status: int
    sent: int


@dataclass
class ModelServer:
    """``with ModelServer() as server: server.routes["/x"] = Route(b"...")``."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)
    _httpd: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> ModelServer:
        owner = self

        class Handler(_Handler):
            server_state = owner

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.released.set()
        assert self._httpd is not None
        assert self._thread is not None
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    server_state: ModelServer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read ``requests`` instead."""

    def do_GET(self) -> None:
        state = self.server_state
        route = state.routes.get(self.path)
        wanted = self.headers.get("Range")
        if route is None or route.status != 200:
            status = 404 if route is None else route.status
            self.send_response(status)
            if route is not None and route.location:
                self.send_header("Location", route.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            state.requests.append(Seen(self.path, wanted, status, 0))
            return
        body, start, status = route.body, 0, 200
        if wanted and route.ranges:
            start = int(wanted.removeprefix("bytes=").split("-")[0])
            if start >= len(body):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(body)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                state.requests.append(Seen(self.path, wanted, 416, 0))
                return
            status = 206
        self.send_response(status)
        self.send_header("Content-Type", route.content_type)
        if route.send_length:
            self.send_header("Content-Length", str(len(body) - start))
        self.send_header("Accept-Ranges", "bytes" if route.ranges else "none")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        self.end_headers()
        end = len(body)
        if route.cut_at is not None and route.cut_times > 0:
            route.cut_times -= 1
            end = max(route.cut_at, start)
        if route.stall_at is not None:
            end = max(route.stall_at, start)
        if route.trickle is not None:
            sent = start
            try:
                while sent < end and not state.released.is_set():
                    self.wfile.write(body[sent : sent + 8])
                    self.wfile.flush()
                    sent += 8
                    time.sleep(route.trickle)
            except OSError:
                pass  # the client gave up
            state.requests.append(Seen(self.path, wanted, status, sent - start))
            self.close_connection = True
            return
        self.wfile.write(body[start:end])
        self.wfile.flush()
        state.requests.append(Seen(self.path, wanted, status, end - start))
        if route.stall_at is not None:
            state.released.wait(timeout=10)
        self.close_connection = True


# --- Content builders ---------------------------------------------------------------------------


def model_zip(
    top: str,
    *,
    files: dict[str, bytes] | None = None,
    extra: Sequence[tuple[zipfile.ZipInfo | str, bytes]] = (),
    payload: bytes = b"",
) -> bytes:
    """A zip of a fake model folder ``top/`` laid out like a Vosk model, plus ``extra`` members.

    ``payload`` (if any) is stored as ``top/graph/payload.bin`` to make the archive bigger.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{top}/", b"")
        for name, data in (MODEL_FILES if files is None else files).items():
            archive.writestr(f"{top}/{name}", data)
        if payload:
            archive.writestr(f"{top}/graph/payload.bin", payload, compress_type=zipfile.ZIP_STORED)
        for member, data in extra:
            archive.writestr(member, data)
    return buffer.getvalue()


def write_model_folder(folder: Path, files: dict[str, bytes] | None = None) -> Path:
    """The same fake model, written straight to disk (as if installed earlier)."""
    for name, data in (MODEL_FILES if files is None else files).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def symlink_member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def device_member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFCHR | 0o644) << 16
    return info


def catalog_entry(
    name: str,
    url: str,
    body: bytes,
    *,
    lang: str = "en-us",
    kind: str = "small",
    obsolete: str = "false",
    size: int | None = None,
    md5: str | None = None,
) -> dict[str, object]:
    """An entry shaped like the official ``model-list.json`` ones."""
    actual = len(body) if size is None else size
    return {
        "lang": lang,
        "lang_text": "US English" if lang == "en-us" else lang,
        "md5": md5 or hashlib.md5(body).hexdigest(),
        "name": name,
        "obsolete": obsolete,
        "size": actual,
        "size_text": f"{actual / 1048576:.1f}MiB",
        "type": kind,
        "url": url,
        "version": name.rsplit("-", 1)[-1],
    }


# --- Test plumbing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


class TtyStream(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def server() -> Iterator[ModelServer]:
    with ModelServer() as running:
        yield running


@pytest.fixture
def models(tmp_path: Path) -> Path:
    return tmp_path / "models"


def publish(server: ModelServer, *entries: dict[str, object]) -> str:
    """Serve ``entries`` as the catalog; return its URL."""
    server.routes["/model-list.json"] = Route(json.dumps(list(entries)).encode(), "application/json")
    return server.url("/model-list.json")


def offer(server: ModelServer, body: bytes, name: str = NAME, **entry: object) -> str:
    """Serve ``body`` as the archive of ``name`` and publish a catalog listing it."""
    server.routes[f"/{name}.zip"] = Route(body)
    return publish(server, catalog_entry(name, server.url(f"/{name}.zip"), body, **entry))  # type: ignore[arg-type]


def run(models: Path, *argv: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = models_command(list(argv), models_dir=models, out=out, err=err)
    return Run(code, out.getvalue(), err.getvalue())


def assert_refused(result: Run, models: Path, *messages: str) -> None:
    """The download failed, saying each of ``messages``, and left nothing in ``models``."""
    assert result.code == 1, result.out
    for message in messages:
        assert message in result.err, result.err
    assert leftovers(models) == []


def leftovers(models: Path) -> list[str]:
    return sorted(path.name for path in models.iterdir()) if models.exists() else []


# --- Success -------------------------------------------------------------------------------------


def test_a_good_archive_is_downloaded_verified_and_installed(server: ModelServer, models: Path) -> None:
    url = offer(server, model_zip(NAME))
    result = run(models, "download", NAME, "--catalog", url)
    assert result.code == 0, result.err
    assert f"installed {NAME} in {models / NAME}" in result.out
    assert looks_like_vosk_model(models / NAME)
    assert (models / NAME / "conf" / "model.conf").read_bytes().startswith(b"--min-active")
    assert leftovers(models) == [NAME], "no partial file and no staging folder is left"
    assert f"downloaded {NAME}:" in result.err, "off a terminal, one final progress line"
    assert [seen.path for seen in server.requests] == ["/model-list.json", f"/{NAME}.zip"]


def test_without_a_name_the_small_english_model_is_installed(server: ModelServer, models: Path) -> None:
    url = offer(server, model_zip(DEFAULT_MODEL), name=DEFAULT_MODEL)
    result = run(models, "download", "--catalog", url)
    assert result.code == 0, result.err
    assert DEFAULT_MODEL == "vosk-model-small-en-us-0.15"
    assert looks_like_vosk_model(models / DEFAULT_MODEL)


def test_the_archive_top_folder_name_does_not_decide_the_install_name(
    server: ModelServer, models: Path
) -> None:
    url = offer(server, model_zip("some-other-top"))
    assert run(models, "download", NAME, "--catalog", url).code == 0
    assert leftovers(models) == [NAME]


def test_the_catalog_can_come_from_the_environment(
    server: ModelServer, models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CATALOG_ENV, offer(server, model_zip(NAME)))
    assert run(models, "download", NAME).code == 0
    assert looks_like_vosk_model(models / NAME)


def test_dir_option_installs_elsewhere(server: ModelServer, models: Path, tmp_path: Path) -> None:
    url = offer(server, model_zip(NAME))
    assert run(models, "download", NAME, "--catalog", url, "--dir", str(tmp_path / "other")).code == 0
    assert looks_like_vosk_model(tmp_path / "other" / NAME)
    assert not models.exists()


def test_an_installed_model_is_not_downloaded_again(server: ModelServer, models: Path) -> None:
    url = offer(server, model_zip(NAME))
    assert run(models, "download", NAME, "--catalog", url).code == 0
    server.requests.clear()
    again = run(models, "download", NAME, "--catalog", url)
    assert again.code == 0
    assert f"{NAME} is already installed" in again.out
    assert server.requests == [], "nothing is fetched for an installed model"


def test_an_incomplete_folder_in_the_way_is_left_alone(server: ModelServer, models: Path) -> None:
    url = offer(server, model_zip(NAME))
    files = {name: data for name, data in MODEL_FILES.items() if not name.startswith("graph/")}
    write_model_folder(models / NAME, files)
    result = run(models, "download", NAME, "--catalog", url)
    assert result.code == 1
    assert f"{models / NAME} exists but is not a complete Vosk model" in result.err
    assert "graph/HCLG.fst" in result.err, "the voice input's own check says what is missing"
    assert sorted(p.name for p in (models / NAME).iterdir()) == ["README", "am", "conf", "ivector"]


def test_the_progress_bar_is_drawn_on_a_terminal(server: ModelServer, models: Path) -> None:
    body = model_zip(NAME, payload=bytes(range(256)) * 4096)
    offer(server, body)
    entry = parse_entry(json.loads(server.routes["/model-list.json"].body)[0])
    stream = TtyStream()
    client = HttpClient(frozenset({"127.0.0.1"}), timeout=5)
    install_model(entry, models, client, progress=Progress(stream, NAME, entry.size))
    drawn = stream.getvalue()
    assert drawn.startswith(f"\r{NAME} [")
    assert f"[{'#' * 30}] 100%" in drawn
    assert drawn.endswith("\n")


# --- Verification before extraction --------------------------------------------------------------


def test_a_wrong_checksum_is_refused_and_nothing_is_left(server: ModelServer, models: Path) -> None:
    url = offer(server, model_zip(NAME), md5="0" * 32)
    result = run(models, "download", NAME, "--catalog", url)
    assert_refused(result, models, "does not match the catalog's checksum", "nothing was installed")


@pytest.mark.parametrize("delta", [-1, +1])
def test_a_wrong_size_is_refused_before_downloading(server: ModelServer, models: Path, delta: int) -> None:
    body = model_zip(NAME)
    url = offer(server, body, size=len(body) + delta)
    result = run(models, "download", NAME, "--catalog", url)
    assert_refused(result, models, f"offers {len(body)} bytes")


def test_a_server_sending_more_than_the_catalog_size_is_cut_off(server: ModelServer, models: Path) -> None:
    """Without a Content-Length to check up front, the size is enforced while downloading."""
    body = model_zip(NAME, payload=bytes(range(256)) * 1024)
    url = offer(server, body, size=len(body) - 10)
    server.routes[f"/{NAME}.zip"].send_length = False
    result = run(models, "download", NAME, "--catalog", url)
    assert_refused(result, models, f"sent more than the catalog's {len(body) - 10} bytes")


def test_a_restarted_download_checks_the_size_again(server: ModelServer, models: Path) -> None:
    """A server that ignores Range answers 200: the download restarts, and its size is checked."""
    body = model_zip(NAME)
    url = offer(server, body, size=len(body) - 10)
    server.routes[f"/{NAME}.zip"].ranges = False
    models.mkdir()
    partial_path(models, NAME).write_bytes(body[:100])
    result = run(models, "download", NAME, "--catalog", url)
    assert_refused(result, models, f"but the catalog says {len(body) - 10}")


# --- Interrupted downloads -----------------------------------------------------------------------


def test_a_truncated_download_resumes_with_range(server: ModelServer, models: Path) -> None:
    body = model_zip(NAME, payload=bytes(range(256)) * 2048)
    url = offer(server, body)
    half = len(body) // 2
    server.routes[f"/{NAME}.zip"].cut_at = half

    first = run(models, "download", NAME, "--catalog", url)
    assert first.code == 1
    assert "stopped at" in first.err
    assert "run the same command again to resume" in first.err
    assert "Traceback" not in first.err
    assert not (models / NAME).exists(), "a partial download never looks installed"
    assert partial_path(models, NAME).stat().st_size == half
    listed = run(models, "list", "--catalog", url)
    assert NAME in listed.out
    assert "partial" in listed.out
    assert "installed" not in listed.out

    server.requests.clear()
    second = run(models, "download", NAME, "--catalog", url)
    assert second.code == 0, second.err
    archive = [seen for seen in server.requests if seen.path.endswith(".zip")]
    assert archive == [Seen(f"/{NAME}.zip", f"bytes={half}-", 206, len(body) - half)]
    assert looks_like_vosk_model(models / NAME)
    assert leftovers(models) == [NAME]


def test_a_truncated_download_restarts_when_the_server_cannot_resume(
    server: ModelServer, models: Path
) -> None:
    body = model_zip(NAME, payload=bytes(range(256)) * 2048)
    url = offer(server, body)
    route = server.routes[f"/{NAME}.zip"]
    route.ranges, route.cut_at = False, len(body) // 3

    assert run(models, "download", NAME, "--catalog", url).code == 1
    server.requests.clear()
    second = run(models, "download", NAME, "--catalog", url)
    assert second.code == 0, second.err
    archive = [seen for seen in server.requests if seen.path.endswith(".zip")]
    assert [(seen.range, seen.status, seen.sent) for seen in archive] == [
        (f"bytes={len(body) // 3}-", 200, len(body))
    ]
    assert leftovers(models) == [NAME]


def test_a_corrupt_partial_file_is_detected_and_the_next_run_starts_again(
    server: ModelServer, models: Path
) -> None:
    body = model_zip(NAME, payload=bytes(range(256)) * 1024)
    url = offer(server, body)
    models.mkdir()
    partial_path(models, NAME).write_bytes(b"garbage" + body[7:1000])
    spoilt = run(models, "download", NAME, "--catalog", url)
    assert_refused(spoilt, models, "checksum")
    assert run(models, "download", NAME, "--catalog", url).code == 0
    assert leftovers(models) == [NAME]


def test_a_complete_archive_left_by_an_interrupted_install_is_verified_and_used(
    server: ModelServer, models: Path
) -> None:
    body = model_zip(NAME)
    url = offer(server, body)
    models.mkdir()
    partial_path(models, NAME).write_bytes(body)
    result = run(models, "download", NAME, "--catalog", url)
    assert result.code == 0, result.err
    assert [seen.path for seen in server.requests] == ["/model-list.json"], "nothing downloaded again"
    assert leftovers(models) == [NAME]


def test_one_install_at_a_time_per_models_folder(server: ModelServer, models: Path) -> None:
    url = offer(server, model_zip(NAME))
    models.mkdir()
    descriptor = os.open(models, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        busy = run(models, "download", NAME, "--catalog", url)
    finally:
        os.close(descriptor)
    assert busy.code == 1
    assert "another 'assistant models download' is installing" in busy.err
    assert leftovers(models) == []
    assert run(models, "download", NAME, "--catalog", url).code == 0


def test_a_stalled_server_times_out(server: ModelServer, models: Path) -> None:
    body = model_zip(NAME, payload=bytes(range(256)) * 1024)
    url = offer(server, body)
    server.routes[f"/{NAME}.zip"].stall_at = 1000
    started = time.monotonic()
    result = run(models, "download", NAME, "--catalog", url, "--timeout", "0.3")
    assert time.monotonic() - started < 5
    assert result.code == 1
    assert "timed out" in result.err
    assert "resume" in result.err
    assert not (models / NAME).exists()


def test_a_trickling_server_is_stopped_and_the_download_can_resume(
    server: ModelServer, models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight bytes every 20 ms never trip the per-read timeout; the rate rule stops it."""
    from assistant.speechmodels import transfer

    monkeypatch.setattr(transfer, "SLOW_WINDOW_SECONDS", 0.5)
    monkeypatch.setattr(transfer, "SLOW_MIN_BYTES", 4096)
    body = model_zip(NAME, payload=bytes(range(256)) * 1024)
    url = offer(server, body)
    server.routes[f"/{NAME}.zip"].trickle = 0.02
    started = time.monotonic()
    result = run(models, "download", NAME, "--catalog", url, "--timeout", "5")
    assert time.monotonic() - started < 5
    assert result.code == 1
    assert "far too slowly" in result.err and "resume" in result.err
    assert not (models / NAME).exists()


# --- Unsafe archives -----------------------------------------------------------------------------


def _deflated_bomb() -> bytes:
    """20 MB of zeros in a ~20 kB archive: a hostile compression ratio."""
    return model_zip(NAME, files={"am/final.mdl": b"\0" * 20_000_000, "conf/model.conf": b"x"})


UNSAFE: dict[str, tuple[Callable[[Path], bytes], str]] = {
    "parent escape": (lambda _: model_zip(NAME, extra=[("../evil", b"x")]), "'..'"),
    "nested escape": (lambda _: model_zip(NAME, extra=[(f"{NAME}/../../evil", b"x")]), "'..'"),
    "absolute path": (lambda tmp: model_zip(NAME, extra=[(f"{tmp}/evil", b"x")]), "absolute"),
    "symlink out": (
        lambda _: model_zip(NAME, extra=[(symlink_member(f"{NAME}/am/link"), b"../../../evil")]),
        "outside the model folder",
    ),
    "absolute symlink": (
        lambda _: model_zip(NAME, extra=[(symlink_member(f"{NAME}/link"), b"/etc/passwd")]),
        "outside the model folder",
    ),
    "device file": (lambda _: model_zip(NAME, extra=[(device_member(f"{NAME}/dev"), b"")]), "device"),
    "two top folders": (lambda _: model_zip(NAME, extra=[("other/x", b"x")]), "exactly one top folder"),
    "not a model": (lambda _: model_zip(NAME, files={"README": b"hi"}), "does not look like a Vosk model"),
    "zip bomb": (lambda _: _deflated_bomb(), "would unpack"),
}


@pytest.mark.parametrize("case", sorted(UNSAFE))
def test_an_unsafe_archive_is_refused_and_nothing_is_left(
    server: ModelServer, models: Path, tmp_path: Path, case: str
) -> None:
    build, reason = UNSAFE[case]
    url = offer(server, build(tmp_path))
    result = run(models, "download", NAME, "--catalog", url)
    assert_refused(result, models, f"refusing to install {NAME}", reason, "nothing was installed")
    assert not (tmp_path / "evil").exists(), "nothing was written outside the models folder"


def test_member_count_and_total_size_limits(server: ModelServer, models: Path) -> None:
    offer(server, model_zip(NAME))
    entry = parse_entry(json.loads(server.routes["/model-list.json"].body)[0])
    client = HttpClient(frozenset({"127.0.0.1"}), timeout=5)
    quiet = Progress(io.StringIO(), NAME, entry.size)
    with pytest.raises(UnsafeArchiveError, match="members"):
        install_model(entry, models, client, progress=quiet, limits=ExtractLimits(max_members=3))
    with pytest.raises(UnsafeArchiveError, match="would unpack"):
        install_model(entry, models, client, progress=quiet, limits=ExtractLimits(max_total_bytes=100))
    assert leftovers(models) == []


# --- Network errors and names --------------------------------------------------------------------


def test_an_unreachable_host_gives_one_clear_line(models: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run(models, "download", "--catalog", f"http://127.0.0.1:{port}/model-list.json")
    assert result.code == 1
    assert result.err.startswith("error: could not reach 127.0.0.1")
    assert result.err.endswith("check your internet connection; nothing was changed\n")
    assert result.err.count("\n") == 1
    assert "Traceback" not in result.err
    assert not models.exists()


def test_http_errors_are_reported(server: ModelServer, models: Path) -> None:
    listed = run(models, "list", "--catalog", server.url("/missing.json"))
    assert listed.code == 1
    assert "127.0.0.1 answered HTTP 404" in listed.err
    assert "nothing was changed" in listed.err
    url = offer(server, model_zip(NAME))
    del server.routes[f"/{NAME}.zip"]
    download = run(models, "download", NAME, "--catalog", url)
    assert download.code == 1
    assert "HTTP 404" in download.err
    assert leftovers(models) == []


def test_a_redirect_to_a_host_the_catalog_does_not_name_is_refused(server: ModelServer, models: Path) -> None:
    body = model_zip(NAME)
    url = offer(server, body)
    elsewhere = f"http://localhost:{server.port}/elsewhere.zip"
    server.routes["/elsewhere.zip"] = Route(body)
    server.routes[f"/{NAME}.zip"] = Route(b"", status=302, location=elsewhere)
    result = run(models, "download", NAME, "--catalog", url)
    assert result.code == 1
    assert "not a host the catalog names" in result.err
    assert "/elsewhere.zip" not in [seen.path for seen in server.requests]
    # The same redirect to the catalog's own host is followed.
    server.routes[f"/{NAME}.zip"].location = server.url("/elsewhere.zip")
    assert run(models, "download", NAME, "--catalog", url).code == 0


def test_an_unknown_name_gets_a_suggestion(server: ModelServer, models: Path) -> None:
    url = offer(server, model_zip(DEFAULT_MODEL), name=DEFAULT_MODEL)
    result = run(models, "download", "vosk-model-small-en-us-0.51", "--catalog", url)
    assert result.code == 1
    assert f"did you mean {DEFAULT_MODEL}?" in result.err
    assert "assistant models list --all" in result.err
    nothing_close = run(models, "download", "whisper", "--catalog", url)
    assert nothing_close.code == 1
    assert "unknown model 'whisper'." in nothing_close.err


def test_a_malformed_entry_is_named_and_the_others_still_work(server: ModelServer, models: Path) -> None:
    body = model_zip(NAME)
    server.routes[f"/{NAME}.zip"] = Route(body)
    good = catalog_entry(NAME, server.url(f"/{NAME}.zip"), body)
    bad = {**catalog_entry("vosk-model-broken-0.1", server.url("/b.zip"), body), "md5": "nope"}
    url = publish(server, good, bad)
    broken = run(models, "download", "vosk-model-broken-0.1", "--catalog", url)
    assert broken.code == 1
    assert "catalog entry for vosk-model-broken-0.1 is malformed" in broken.err
    assert "'nope' is not 32 hexadecimal digits" in broken.err
    fine = run(models, "download", NAME, "--catalog", url)
    assert fine.code == 0
    assert "skipped 1 malformed catalog entry" in fine.err


# --- models list -----------------------------------------------------------------------------------


def test_list_shows_small_current_models_and_filters(server: ModelServer, models: Path) -> None:
    body = model_zip(NAME)
    url = publish(
        server,
        catalog_entry("vosk-model-small-en-us-0.15", "http://127.0.0.1/a.zip", body),
        catalog_entry("vosk-model-small-en-in-0.4", "http://127.0.0.1/b.zip", body, lang="en-in"),
        catalog_entry("vosk-model-en-us-0.22", "http://127.0.0.1/c.zip", body, kind="big"),
        catalog_entry("vosk-model-small-en-us-0.3", "http://127.0.0.1/d.zip", body, obsolete="true"),
        catalog_entry("vosk-model-small-fr-0.22", "http://127.0.0.1/e.zip", body, lang="fr"),
    )
    write_model_folder(models / "vosk-model-small-fr-0.22")

    default = run(models, "list", "--catalog", url)
    assert default.code == 0
    lines = default.out.splitlines()
    assert lines[0].split() == ["NAME", "LANG", "MB", "STATUS"]
    names = [line.split()[0] for line in lines[1:-1]]
    assert names == [
        "vosk-model-small-en-in-0.4",
        "vosk-model-small-en-us-0.15",
        "vosk-model-small-fr-0.22",
    ]
    assert "(default)" in lines[2]
    assert lines[3].endswith("installed")
    assert f"{len(body) / 1e6:.1f}" in lines[1]

    english = run(models, "list", "--lang", "en", "--catalog", url)
    assert "fr" not in english.out
    assert "en-in" in english.out
    everything = run(models, "list", "--all", "--catalog", url)
    assert "vosk-model-en-us-0.22" in everything.out
    assert "obsolete" in everything.out
    assert run(models, "list", "--lang", "xx", "--catalog", url).code == 1


def unused_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: connecting is refused, as with no network."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_list_without_network_shows_installed_models_and_the_last_catalog_seen(
    server: ModelServer, models: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    body = model_zip(NAME)
    url = publish(
        server,
        catalog_entry("vosk-model-small-en-us-0.15", "http://127.0.0.1/a.zip", body),
        catalog_entry("vosk-model-small-fr-0.22", "http://127.0.0.1/e.zip", body, lang="fr"),
    )
    write_model_folder(models / "vosk-model-small-fr-0.22")
    # Nothing seen yet, and no network: the installed model, and what to do for the catalog.
    closed = f"http://127.0.0.1:{unused_port()}/model-list.json"
    offline = run(models, "list", "--catalog", closed)
    assert offline.code == 0, offline.err
    assert "could not be refreshed" in offline.err
    assert "vosk-model-small-fr-0.22  fr" in offline.out
    assert "No catalog has been seen yet" in offline.out
    # Online once: the catalog is kept...
    url = publish(
        server,
        catalog_entry("vosk-model-small-en-us-0.15", "http://127.0.0.1/a.zip", body),
        catalog_entry("vosk-model-small-fr-0.22", "http://127.0.0.1/e.zip", body, lang="fr"),
    )
    assert run(models, "list", "--catalog", url).code == 0
    # ...and shown, dated, when the network is gone again.
    again = run(models, "list", "--catalog", closed)
    assert again.code == 0
    assert "Last catalog seen (" in again.out and "it may be out of date" in again.out
    table = again.out.split("Last catalog seen")[1]
    assert "vosk-model-small-en-us-0.15" in table
    assert any(
        line.startswith("vosk-model-small-fr-0.22") and line.endswith("installed")
        for line in table.splitlines()
    )


# --- Usage ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["fetch"],
        ["download", "a", "b"],
        ["list", "--timeout", "soon"],
        ["list", "--catalog", "file:///etc/passwd"],
        ["download", "--catalog", "ftp://example.org/list.json"],
        ["list", "--timeout", "0"],
        ["download", "../vosk-model-small-en-us-0.15"],
        ["download", "/tmp/x"],
    ],
)
def test_usage_errors_exit_2(models: Path, argv: list[str]) -> None:
    result = run(models, *argv)
    assert result.code == 2
    assert "error" in result.err
    assert result.out == ""


def test_help_goes_to_out(models: Path) -> None:
    result = run(models, "download", "--help")
    assert result.code == 0
    assert "--catalog URL" in result.out
    assert DEFAULT_MODEL in result.out
