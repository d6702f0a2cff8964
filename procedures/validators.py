"""Checks on what administrators type and upload into the catalogue: codes and blank forms."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.files import sniff_file_type

from .constants import FileType

# Blank forms are documents to fill in: PDF, Word or Excel, recognised by their content.
TEMPLATE_FILE_TYPES = (FileType.PDF, FileType.DOCX, FileType.XLSX)

PROCEDURE_CODE_RE = re.compile(r"^\d\.\d{6}(\.[A-Z0-9]{2,10})?$")
AGENCY_CODE_RE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z]\d{2}$")


def validate_procedure_code(value: str) -> None:
    """A national procedure code such as 1.001612, optionally with a local suffix (2.000635.H56)."""
    if not PROCEDURE_CODE_RE.fullmatch(value or ""):
        raise ValidationError(
            _("Mã thủ tục phải có dạng d.dddddd (ví dụ 1.001612), có thể kèm hậu tố địa phương (.H56)."),
            code="procedure_code",
        )


def validate_agency_code(value: str) -> None:
    """An agency's electronic code such as 000.00.25.H56."""
    if not AGENCY_CODE_RE.fullmatch(value or ""):
        raise ValidationError(
            _("Mã định danh cơ quan phải có dạng 000.00.25.H56."),
            code="agency_code",
        )


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


def validate_province_code(value: str) -> None:
    """A province's national administrative code: 2 digits (01 Hà Nội ... 96 Cà Mau)."""
    if not re.fullmatch(r"\d{2}", value or ""):
        raise ValidationError(_("Mã tỉnh gồm đúng 2 chữ số."), code="province_code")


def validate_commune_code(value: str) -> None:
    """A commune's national administrative code: 5 digits."""
    if not re.fullmatch(r"\d{5}", value or ""):
        raise ValidationError(_("Mã đơn vị hành chính cấp xã gồm đúng 5 chữ số."), code="commune_code")
