"""Checks on uploaded files: type from the content (never the name), size, and the hash kept."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.files import MIME_BY_FILE_TYPE, sniff_file_type


@dataclass(frozen=True)
class CheckedFile:
    file_type: str
    content_type: str
    size: int
    sha256: str


def check_upload(uploaded_file, *, accepted_types: list[str], label: str) -> CheckedFile:
    """Validate one upload for a dossier component; the message names the component and the file."""
    name = uploaded_file.name
    limit = settings.DOSSIER_UPLOAD_MAX_BYTES
    if uploaded_file.size == 0:
        raise ValidationError(_("Tệp “%(name)s” (%(label)s) rỗng.") % {"name": name, "label": label})
    if uploaded_file.size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” (%(label)s) lớn hơn %(mb)s MB cho phép.")
            % {"name": name, "label": label, "mb": limit // (1024 * 1024)}
        )
    file_type = sniff_file_type(uploaded_file)
    if file_type not in accepted_types:
        allowed = ", ".join(t.upper() for t in accepted_types)
        raise ValidationError(
            _("Tệp “%(name)s” (%(label)s) không đúng định dạng: nội dung tệp không phải %(allowed)s.")
            % {"name": name, "label": label, "allowed": allowed}
        )
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return CheckedFile(
        file_type=file_type,
        content_type=MIME_BY_FILE_TYPE[file_type],
        size=uploaded_file.size,
        sha256=digest.hexdigest(),
    )
