"""Serving uploaded files through views that check who may see them.

Uploads are never linked under MEDIA_URL: that path is served only in development, and it
would bypass the visibility of drafts. Each app's download view finds the owning record
through its own visibility rule, then returns the file with this helper.
"""

from pathlib import PurePath

from django.http import FileResponse, Http404


def file_response(field_file, name: str = "") -> FileResponse:
    """The stored file as a download (never rendered inline by the browser)."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=name or PurePath(field_file.name).name)
