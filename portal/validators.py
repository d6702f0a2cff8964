"""Validators for Vietnamese identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.vn import mst

# Province codes of the citizen ID (Circular 07/2016/TT-BCA, kept after the 2025 mergers).
CITIZEN_ID_PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 "
    "036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 "
    "074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)
# The 4th digit tells century and sex: 0/1 = 1900s, 2/3 = 2000s, 4/5 = 2100s, 6/7 = 2200s, 8/9 = 1800s.
CENTURY_BY_DIGIT = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 1800, 9: 1800}

# A Vietnamese phone number as the portal stores it: 10 or 11 digits starting with 0 (mobile 10, old
# landlines 11). Every form and service checks phones with this one pattern.
PHONE_REGEX = r"^0\d{9,10}$"


def validate_citizen_id(value: str) -> None:
    """A 12-digit citizen ID (CCCD): province code, century/sex digit, year of birth, 6 digits."""
    if not re.fullmatch(r"\d{12}", value or ""):
        raise ValidationError(_("Số CCCD phải gồm đúng 12 chữ số."), code="citizen_id_format")
    if value[:3] not in CITIZEN_ID_PROVINCE_CODES:
        raise ValidationError(_("Mã tỉnh (3 chữ số đầu) của số CCCD không hợp lệ."), code="citizen_id_province")
    birth_year = CENTURY_BY_DIGIT[int(value[3])] + int(value[4:6])
    if birth_year > timezone.localdate().year:
        raise ValidationError(_("Năm sinh trong số CCCD không hợp lệ."), code="citizen_id_year")


def validate_tax_code(value: str) -> None:
    """An enterprise tax code: 10 digits with a check digit, or 13 for a branch (xxxxxxxxxx-xxx)."""
    try:
        mst.validate(value or "")
    except StdnumValidationError:
        raise ValidationError(
            _("Mã số thuế không hợp lệ: cần 10 chữ số (hoặc 13 chữ số với đơn vị phụ thuộc) và đúng chữ số kiểm tra."),
            code="tax_code",
        ) from None


def normalize_tax_code(value: str) -> str:
    return mst.compact(value)


def normalize_phone(value: str) -> str:
    """A phone as typed ("0912 345 678", "+84 912.345.678") in the stored form ("0912345678").
    Only separators and the country code are removed; the result is checked by `validate_phone`."""
    compact = re.sub(r"[\s.\-()]", "", value or "")
    if compact.startswith("+84"):
        compact = "0" + compact[3:]
    return compact


def validate_phone(value: str) -> None:
    if not re.fullmatch(PHONE_REGEX, value or ""):
        raise ValidationError(_("Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0."), code="phone")


def clean_id_number(value: str) -> str:
    """A 12-digit CCCD or an enterprise tax code (10 digits, or 13 for a branch), normalised; else
    ValidationError. Spaces and dots typed between the digits are dropped."""
    compact = re.sub(r"[\s.]", "", value or "")
    if re.fullmatch(r"\d{12}", compact):
        validate_citizen_id(compact)
        return compact
    if re.fullmatch(r"\d{10}|\d{10}-?\d{3}", compact):
        validate_tax_code(compact)
        return normalize_tax_code(compact)
    raise ValidationError(
        _("Số giấy tờ phải là số CCCD (12 chữ số) hoặc mã số thuế (10 hoặc 13 chữ số)."), code="id_number"
    )
