"""The response that hands an attachment over as a download, for the applicants' page and
the officers' workspace alike.

The content type is that of the kind the upload check found, never one the browser sent, and
the browser is told not to guess another (nosniff) nor to keep a copy (no-store): a file is
never shown inline as something else, and a shared computer keeps nothing.
"""

from django.http import FileResponse, Http404

from .uploads import ALLOWED_KINDS


def attachment_response(file, *, name: str, kind: str | None) -> FileResponse:
    """``file`` (a stored attachment's file) as a download called ``name``; 404 if the
    storage has lost it."""
    try:
        stream = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    checked = ALLOWED_KINDS.get(kind)
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=name,
        content_type=checked.content_type if checked else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
