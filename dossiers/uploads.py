"""Checks on uploaded files: type from the content (never the name), size, and the hash kept.

Each file is read once on its way to storage. `check_upload` sniffs its type, checks its size and hashes
it, and returns a `CheckedUpload`: the file with what the check learnt. Whoever checks first (the form
field of a page, or the service for the API) hands that on; a service given a checked upload reads
nothing again and only holds the type it carries against the types it accepts, and
`services.core.store_file` takes nothing but a checked upload. Every entry point therefore refuses a bad
file with the same message, before anything is written.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from portal.files import MIME_BY_FILE_TYPE, sniff_file_type
from procedures.constants import FileType

# What a file that answers no component (a supplement, a result document) may be.
FREE_FILE_TYPES = [FileType.PDF, FileType.JPEG, FileType.PNG]


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed `check_upload`, with its type (from the content), size and SHA-256."""

    file: File
    file_type: str
    size: int
    sha256: str

    @property
    def name(self) -> str:
        return self.file.name

    @property
    def content_type(self) -> str:
        return MIME_BY_FILE_TYPE[self.file_type]


def check_upload(upload, *, accepted_types: list[str], label: str) -> CheckedUpload:
    """Validate one upload for a dossier component (or a free file); the message names the file and
    `label`. A `CheckedUpload` is not read again: only its type is held against `accepted_types`."""
    if isinstance(upload, CheckedUpload):
        _check_type(upload.name, upload.file_type, accepted_types=accepted_types, label=label)
        return upload
    name = upload.name
    limit = settings.DOSSIER_UPLOAD_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(_("Tệp “%(name)s” (%(label)s) rỗng.") % {"name": name, "label": label})
    if upload.size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” (%(label)s) lớn hơn %(mb)s MB cho phép.")
            % {"name": name, "label": label, "mb": limit // (1024 * 1024)}
        )
    file_type = sniff_file_type(upload)
    _check_type(name, file_type, accepted_types=accepted_types, label=label)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(file=upload, file_type=file_type, size=upload.size, sha256=digest.hexdigest())


def _check_type(name: str, file_type: str | None, *, accepted_types: list[str], label: str) -> None:
    if file_type not in accepted_types:
        allowed = ", ".join(t.upper() for t in accepted_types)
        raise ValidationError(
            _("Tệp “%(name)s” (%(label)s) không đúng định dạng: nội dung tệp không phải %(allowed)s.")
            % {"name": name, "label": label, "allowed": allowed}
        )
