"""Vietnamese identifiers: what a registration form or the admin accepts and refuses."""

import pytest
from django.core.exceptions import ValidationError

from portal.validators import normalize_tax_code, validate_citizen_id, validate_tax_code
from procedures.validators import validate_agency_code, validate_procedure_code


def error_code(validator, value) -> str:
    with pytest.raises(ValidationError) as excinfo:
        validator(value)
    return excinfo.value.code


@pytest.mark.parametrize(
    "value",
    [
        "034085000123",  # Thái Bình, male born 1985
        "001199012345",  # Hà Nội, male born 1999
        "079305000001",  # Hồ Chí Minh City, female born 2005
        "096200000000",  # Cà Mau, male born 2000
    ],
)
def test_valid_citizen_ids_are_accepted(value):
    validate_citizen_id(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("03408500012", "citizen_id_format"),  # 11 digits
        ("0340850001234", "citizen_id_format"),  # 13 digits
        ("03408500012A", "citizen_id_format"),  # a letter
        ("", "citizen_id_format"),
        ("000085000123", "citizen_id_province"),  # no province 000
        ("003085000123", "citizen_id_province"),  # no province 003
        ("034299000123", "citizen_id_year"),  # digit 2 + year 99 = born 2099
    ],
)
def test_invalid_citizen_ids_are_refused_with_a_reason(value, code):
    assert error_code(validate_citizen_id, value) == code


def test_citizen_id_message_is_vietnamese():
    with pytest.raises(ValidationError, match="12 chữ số"):
        validate_citizen_id("12345")


@pytest.mark.parametrize("value", ["0100109106", "0100109106-001", "0100109106001"])
def test_valid_tax_codes_are_accepted(value):
    validate_tax_code(value)


@pytest.mark.parametrize(
    "value",
    [
        "0100109107",  # wrong check digit
        "010010910",  # 9 digits
        "0100109106-000",  # branch 000 does not exist
        "01001091A6",
        "",
    ],
)
def test_invalid_tax_codes_are_refused(value):
    assert error_code(validate_tax_code, value) == "tax_code"


def test_branch_tax_code_is_stored_compacted():
    assert normalize_tax_code("0100109106-001") == "0100109106001"


@pytest.mark.parametrize("value", ["1.001612", "1.001612.H56", "2.000635.H56"])
def test_valid_procedure_codes_are_accepted(value):
    validate_procedure_code(value)


@pytest.mark.parametrize("value", ["1001612", "1.00161", "1.0016123", "1.001612.", "1.001612.h56", ""])
def test_invalid_procedure_codes_are_refused(value):
    assert error_code(validate_procedure_code, value) == "procedure_code"


@pytest.mark.parametrize("value", ["000.00.25.H56", "H56.01.02.H56", "000.00.00.G01"])
def test_valid_agency_codes_are_accepted(value):
    validate_agency_code(value)


@pytest.mark.parametrize("value", ["000.00.25", "00.00.25.H56", "000.00.25.H5", "000.00.25.56H", "000-00-25-H56"])
def test_invalid_agency_codes_are_refused(value):
    assert error_code(validate_agency_code, value) == "agency_code"
