"""A real HTTP server on 127.0.0.1 for the model-download tests, and builders for its content.

The server serves byte strings at paths, honours ``Range: bytes=N-`` (or not, per route), can
cut a response short or stall it, can redirect, and records every request it gets.
"""

from __future__ import annotations

import hashlib
import io
import stat
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

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
