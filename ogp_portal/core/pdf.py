"""HTML → PDF with WeasyPrint, offline.

Documents are rendered from our own templates, but they carry user-written text, so the
renderer must never reach the network: the URL fetcher serves only our static files (CSS and
the bundled fonts) from disk and refuses everything else. The PDF is tagged (PDF/UA-1) so
screen readers can follow headings, tables and reading order.
"""

import gc
import hashlib
import logging
import mimetypes
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Documents link their CSS as /static/…; this base turns that into an absolute URL the
# fetcher below recognises. `.invalid` is reserved (RFC 2606): it can never resolve.
PDF_BASE_URL = "https://pdf.ogp-portal.invalid/"
PDF_STYLESHEET = "css/pdf.css"


class StaticFilesFetcher(URLFetcher):
    """Serves /static/… URLs of PDF_BASE_URL's host from the static files finders (or
    STATIC_ROOT); refuses every other URL, so rendering never touches the network."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("https", "http", "data"), fail_on_errors=False)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        base = urlsplit(PDF_BASE_URL)
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if (
            parts.scheme != base.scheme
            or parts.netloc != base.netloc
            or not parts.path.startswith(static_prefix)
        ):
            raise ValueError(f"PDF rendering does not fetch {url}")
        path = static_file_path(unquote(parts.path.removeprefix(static_prefix)))
        if path is None:
            raise ValueError(f"No static file {parts.path}")
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime_type})


def _static_roots() -> list[Path]:
    """The folders static files may come from: STATICFILES_DIRS, each app's static/ folder
    (what the finders search) and STATIC_ROOT, resolved."""
    roots = []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    for entry in settings.STATICFILES_DIRS:
        roots.append(Path(entry[1] if isinstance(entry, tuple | list) else entry))
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


def static_file_path(relative: str) -> Path | None:
    """The file on disk behind a static path ("css/pdf.css"), or None. Refuses absolute
    paths ("/etc/passwd", also when it came as "//…" or "%2F…"), "..", backslashes and NUL,
    and anything that resolves (symbolic links followed) outside the static folders."""
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    path = Path(relative)
    if path.is_absolute() or ".." in path.parts or relative.startswith("/"):
        return None
    found = finders.find(relative)
    if found:
        candidate = Path(found)
    elif settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / relative
    else:
        return None
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError):
        return None
    if not any(resolved.is_relative_to(root) for root in _static_roots()):
        return None
    return resolved if resolved.is_file() else None


@cache
def stylesheet_fingerprint() -> str:
    """A short hash of pdf.css and the fonts it loads. Documents print it in a <meta> tag, so
    a change of layout changes their content hash and stored files are not reused."""
    digest = hashlib.sha256()
    for relative in (
        PDF_STYLESHEET,
        "fonts/NotoSans-Regular.ttf",
        "fonts/NotoSansArabic-Regular.ttf",
    ):
        path = static_file_path(relative)
        digest.update(path.read_bytes() if path else relative.encode())
    return digest.hexdigest()[:16]


# WeasyPrint reports "Step 5 - Creating layout - Page 12" on this logger as it works.
_PROGRESS_LOGGER = logging.getLogger("weasyprint.progress")
_STEP = re.compile(r"Step (\d)\b")
_PAGE = re.compile(r"\bPage (\d+)")


class _StepHandler(logging.Handler):
    """Passes WeasyPrint's steps (of this thread's render only) to a callback."""

    def __init__(self, on_step: Callable[[int, int | None], None]) -> None:
        super().__init__(level=logging.INFO)
        self.thread = threading.get_ident()
        self.on_step = on_step

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        message = record.getMessage()
        step = _STEP.match(message)
        if step:
            page = _PAGE.search(message)
            self.on_step(int(step.group(1)), int(page.group(1)) if page else None)


_gc_lock = threading.Lock()
_gc_pauses = {"count": 0, "was_enabled": False}


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while WeasyPrint works.

    A render allocates millions of objects (styles, boxes, PDF objects) that live until it
    ends, and the collector kept walking all of them: some 18 % of the render time of a
    200-page plan. Reference counting still frees everything outside reference cycles, and
    render_pdf collects once itself. Process-wide, so concurrent renders (threads) share one
    pause: the collector comes back, if it was on, after the last."""
    with _gc_lock:
        if _gc_pauses["count"] == 0:
            _gc_pauses["was_enabled"] = gc.isenabled()
            gc.disable()
        _gc_pauses["count"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses["count"] -= 1
            if _gc_pauses["count"] == 0 and _gc_pauses["was_enabled"]:
                gc.enable()


@contextmanager
def _steps(on_step: Callable[[int, int | None], None] | None) -> Iterator[None]:
    if on_step is None:
        yield
        return
    handler = _StepHandler(on_step)
    previous = _PROGRESS_LOGGER.level
    _PROGRESS_LOGGER.addHandler(handler)
    if not _PROGRESS_LOGGER.isEnabledFor(logging.INFO):
        _PROGRESS_LOGGER.setLevel(logging.INFO)
    try:
        yield
    finally:
        _PROGRESS_LOGGER.removeHandler(handler)
        _PROGRESS_LOGGER.setLevel(previous)


def render_pdf(
    html: str,
    *,
    base_url: str = PDF_BASE_URL,
    on_step: Callable[[int, int | None], None] | None = None,
) -> bytes:
    """Render `html` (a full document with <title> and <html lang>) to tagged PDF bytes.

    The <title> and the lang attribute become the PDF's title and language; h1/h2 become
    bookmarks (see pdf.css). Only our static files are fetched. `on_step(step, page)` hears
    WeasyPrint's steps (1-7; the page number while laying out, step 5).
    """
    options = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
    with cyclic_gc_paused():
        source = HTML(string=html, base_url=base_url, url_fetcher=StaticFilesFetcher())
        with _steps(on_step):
            document = source.render(**options)
            # Once, between layout and drawing: layout leaves garbage in reference cycles
            # (some 80 MB for a 200-page plan). Freed before the PDF is drawn, the peak
            # memory stays below that of a render with the collector on all along.
            gc.collect()
            pdf: bytes = document.write_pdf(**options)  # WeasyPrint is untyped
            return pdf
