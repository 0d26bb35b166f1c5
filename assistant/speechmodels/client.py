"""HTTP for the model download: a timeout on every operation, and only allowed hosts contacted."""

from __future__ import annotations

import contextlib
import http.client
import logging
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from typing import IO
from urllib.parse import urlsplit

from assistant import __version__
from assistant.speechmodels.catalog import Catalog, CatalogError, parse_catalog
from assistant.speechmodels.errors import NetworkError

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0
MAX_CATALOG_BYTES = 8 * 1024 * 1024
_USER_AGENT = f"leg-symptom-assistant/{__version__} (model download)"


class _RedirectGuard(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an allowed host over http(s)."""

    def __init__(self, allowed_hosts: frozenset[str]) -> None:
        super().__init__()
        self.allowed_hosts = allowed_hosts

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        parts = urlsplit(newurl)
        if parts.scheme not in ("http", "https") or parts.hostname not in self.allowed_hosts:
            raise NetworkError(
                f"{req.host} redirected to {newurl}, which is not a host the catalog names; "
                "refusing to follow it; nothing was changed"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class HttpClient:
    """urllib with a timeout on every operation and an allow-list of hosts."""

    def __init__(self, allowed_hosts: frozenset[str], *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.allowed_hosts = allowed_hosts
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_RedirectGuard(allowed_hosts))

    @contextlib.contextmanager
    def get(
        self, url: str, *, headers: Mapping[str, str] | None = None, unchanged: str
    ) -> Iterator[http.client.HTTPResponse]:
        """Open ``url``; any failure becomes a one-line :class:`NetworkError` ending in
        ``unchanged`` (what the user's files look like after the failure)."""
        host = urlsplit(url).hostname or url
        if urlsplit(url).scheme not in ("http", "https") or host not in self.allowed_hosts:
            raise NetworkError(f"refusing to contact {url}: not a catalog host; {unchanged}")
        sent = {"User-Agent": _USER_AGENT, **(headers or {})}
        request = urllib.request.Request(url, headers=sent)  # noqa: S310 (scheme checked above)
        logger.debug("GET %s %s", url, sent)
        try:
            response = self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            error.close()
            raise NetworkError(
                f"{host} answered HTTP {error.code} {error.reason} for {url}; {unchanged}",
                status=error.code,
            ) from error
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", error)
            raise NetworkError(
                f"could not reach {host} ({reason}): check your internet connection; {unchanged}"
            ) from error
        with response:
            yield response


def fetch_catalog(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> Catalog:
    """Download and parse the catalog (only ``url``'s host is contacted)."""
    return parse_catalog(fetch_catalog_bytes(url, timeout=timeout), source=url)


def fetch_catalog_bytes(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The catalog as downloaded (only ``url``'s host is contacted), at most 8 MB."""
    host = urlsplit(url).hostname or ""
    client = HttpClient(frozenset({host}), timeout=timeout)
    with client.get(url, unchanged="nothing was changed") as response:
        try:
            raw = response.read(MAX_CATALOG_BYTES + 1)
        except (OSError, http.client.HTTPException) as error:
            raise NetworkError(
                f"could not read the model catalog from {host} ({error}): "
                "check your internet connection; nothing was changed"
            ) from error
    if len(raw) > MAX_CATALOG_BYTES:
        raise CatalogError(f"the model catalog at {url} is larger than 8 MB; check --catalog")
    return bytes(raw)
