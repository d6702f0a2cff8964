"""Checks on the files administrators upload to the catalogue."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.files import sniff_file_type

from .constants import FileType

# Blank forms are documents to fill in: PDF, Word or Excel, recognised by their content.
TEMPLATE_FILE_TYPES = (FileType.PDF, FileType.DOCX, FileType.XLSX)


def validate_document_template(value) -> None:
    """A required document's blank form (served to everyone): PDF, DOCX or XLSX by its content, not empty,
    at most settings.PROCEDURE_TEMPLATE_MAX_BYTES. A file already stored is not read again on later saves."""
    if not value or getattr(value, "_committed", False):
        return
    limit = settings.PROCEDURE_TEMPLATE_MAX_BYTES
    if value.size == 0:
        raise ValidationError(_("Tệp mẫu rỗng."), code="empty")
    if value.size > limit:
        raise ValidationError(
            _("Tệp mẫu lớn hơn %(mb)s MB cho phép.") % {"mb": limit // (1024 * 1024)}, code="too_large"
        )
    if sniff_file_type(value) not in TEMPLATE_FILE_TYPES:
        raise ValidationError(
            _("Tệp mẫu phải là PDF, Word (DOCX) hoặc Excel (XLSX): nội dung tệp không phải các định dạng này."),
            code="file_type",
        )
