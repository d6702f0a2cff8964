"""The rule for declared data (dossiers/applicant_data.py), one for the pages' fields and the services: the same
answer is refused with the same message on a page and through a service, and what a page stores is what the
service would store."""

import pytest
from django.core.exceptions import ValidationError

from dossiers.applicant_data import clean_applicant_data, clean_value
from dossiers.forms.applicant_fields import ApplicantDataForm

SPEC = [
    {"name": "ten", "label": "Họ tên", "type": "text"},
    {"name": "ghi_chu", "label": "Ghi chú", "type": "textarea"},
    {"name": "so", "label": "Số bản", "type": "number"},
    {"name": "ngay", "label": "Ngày sinh", "type": "date"},
    {"name": "thu", "label": "Thư điện tử", "type": "email"},
    {"name": "dt", "label": "Điện thoại", "type": "phone"},
    {"name": "cccd", "label": "Số CCCD", "type": "citizen_id"},
    {"name": "chon", "label": "Giới tính", "type": "choice", "choices": ["Nam", "Nữ"]},
]
ITEMS = {item["name"]: item for item in SPEC}


def form_errors(name: str, value: str) -> list[str]:
    form = ApplicantDataForm({f"d-{name}": value}, prefix="d", spec=SPEC, enforce_required=False)
    assert not form.is_valid()
    return form.errors[name]


def service_errors(name: str, value) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        clean_applicant_data(SPEC, {name: value}, require_required=False)
    return refused.value.messages


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("ten", "x" * 256, ["Giá trị này chỉ có tối đa 255 kí tự (hiện có 256)"]),  # Django's own message
        ("ghi_chu", "x" * 4001, ["Giá trị này chỉ có tối đa 4000 kí tự (hiện có 4001)"]),
        ("ten", "a\x00b", ["Null characters are not allowed."]),
        ("so", "hai", ["Hãy nhập một số."]),
        ("so", "1" * 21, ["Đảm bảo rằng tối đa không có nhiều hơn 20 số."]),
        ("ngay", "31/02/2026", ["Ngày không hợp lệ (ví dụ 31/12/1990)."]),
        ("thu", "khong-phai-thu", ["Địa chỉ thư điện tử không hợp lệ."]),
        ("dt", "12345", ["Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0."]),
        ("cccd", "123", ["Số CCCD phải gồm đúng 12 chữ số."]),
        (
            "cccd",
            "1234567890123",
            ["Số CCCD phải gồm đúng 12 chữ số.", "Giá trị này chỉ có tối đa 12 kí tự (hiện có 13)"],
        ),
        ("chon", "Khác", ["Hãy chọn một giá trị trong danh sách."]),
    ],
)
def test_a_page_and_a_service_refuse_an_answer_with_the_same_messages(name, value, expected):
    label = ITEMS[name]["label"]

    assert form_errors(name, value) == expected
    assert service_errors(name, value) == [f"{label}: {message}" for message in expected]


def test_what_a_page_stores_is_what_the_service_stores():
    typed = {"ten": " An ", "so": "2.5", "ngay": "15/01/2026", "dt": "+84 912 345 678", "chon": "Nữ", "cccd": ""}
    form = ApplicantDataForm({f"d-{name}": value for name, value in typed.items()}, prefix="d", spec=SPEC)
    assert form.is_valid(), form.errors

    stored = form.to_json()

    assert stored == {
        "ten": "An",
        "ghi_chu": "",
        "so": 2.5,
        "ngay": "2026-01-15",
        "thu": "",
        "dt": "0912345678",
        "cccd": "",
        "chon": "Nữ",
    }
    assert clean_applicant_data(SPEC, typed, require_required=True) == stored
    assert clean_applicant_data(SPEC, stored, require_required=True) == stored  # stored data cleans to itself


def test_json_of_another_type_is_refused_with_the_fields_message_not_an_error():
    # (the API passes JSON straight through: a number where a date is asked, a number for a choice)
    assert service_errors("ngay", 20260115) == ["Ngày sinh: Ngày không hợp lệ (ví dụ 31/12/1990)."]
    assert service_errors("chon", 1) == ["Giới tính: Hãy chọn một giá trị trong danh sách."]
    assert clean_value(ITEMS["so"], 4) == 4 and clean_value(ITEMS["ten"], 12) == "12"


def test_a_required_field_is_required_on_the_page_only_when_submitting():
    spec = [{**SPEC[0], "required": True}]

    assert not ApplicantDataForm({}, prefix="d", spec=spec).is_valid()
    assert ApplicantDataForm({}, prefix="d", spec=spec, enforce_required=False).is_valid()
    with pytest.raises(ValidationError, match="Còn thiếu thông tin bắt buộc: Họ tên."):
        clean_applicant_data(spec, {}, require_required=True)
