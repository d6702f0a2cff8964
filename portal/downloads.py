"""A stored file as a download, after the caller's permission check: streamed through the portal from
STORAGES["default"] (this node's disk or the shared bucket), never a redirect to the store (docs/decisions.md,
"Files in object storage"). A file the store no longer has is told on a page of its own (404), not a 500; a store
that does not answer is a 503 (`portal.middleware.UNAVAILABLE_ERRORS`)."""

import logging
from collections.abc import Callable

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)


def stored_file_response(
    request, file, *, filename: str, content_type: str | Callable, inline: bool = False
) -> HttpResponse:
    """`file` (a FieldFile) as an attachment named `filename`; `content_type` is a type, or a function that reads
    it from the opened file. 404 when no file is attached; the "file missing" page when the store lost it."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        logger.error("Stored file %s is missing from the storage", file.name)
        return render(request, "portal/file_missing.html", status=404)
    if callable(content_type):
        content_type = content_type(handle)
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
