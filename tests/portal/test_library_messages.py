"""What Django REST framework and Django's password checks say is in Vietnamese too (locale/vi), not English."""

import json
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers.constants import DossierStatus
from portal.models import User
from tests.factories import ProcedureFactory, dossier_in_status

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/dossiers/"


def english(text: str) -> bool:
    """True when the text reads as English: any of DRF's usual words."""
    return bool(re.search(r"\b(the|not|was|were|Invalid|Incorrect|Expected|Enter|Ensure|must)\b", text))


def test_a_request_without_a_token_is_told_in_vietnamese():
    response = APIClient().get(LIST_URL)

    assert response.status_code == 401
    assert response.json()["detail"] == (
        "Chưa có thông tin xác thực: hãy đăng nhập hoặc gửi mã truy cập API (tiêu đề Authorization: Token <mã>)."
    )


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Token khong-hop-le", "Mã truy cập API không hợp lệ hoặc đã bị thu hồi."),
        ("Token", "Tiêu đề Authorization không hợp lệ: thiếu mã truy cập."),
        ("Token a b", "Tiêu đề Authorization không hợp lệ: mã truy cập không được chứa dấu cách."),
    ],
)
def test_a_bad_token_is_told_in_vietnamese(header, message):
    response = APIClient().get(LIST_URL, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["detail"] == message


def test_a_badly_written_date_is_told_in_vietnamese(agency):
    # Given an officer apologising for a late dossier, with a date the API cannot read
    dossier, officers = dossier_in_status(DossierStatus.PROCESSING, procedure=ProcedureFactory(agency=agency))
    client = APIClient()
    client.force_authenticate(user=officers["processing"])

    response = client.post(
        f"{LIST_URL}{dossier.code}/apologize/", {"reason": "Chậm", "new_due_at": "thứ hai tuần sau"}, format="json"
    )

    assert response.status_code == 400
    [message] = response.json()["new_due_at"]
    assert message.startswith("Ngày giờ sai định dạng. Hãy dùng một trong các định dạng: ")
    assert not english(message.split(":")[0])


def test_a_missing_and_a_wrongly_typed_field_are_told_in_vietnamese(agency):
    dossier, officers = dossier_in_status(DossierStatus.RECEIVED, procedure=ProcedureFactory(agency=agency))
    client = APIClient()
    client.force_authenticate(user=officers["reception"])

    missing = client.post(f"{LIST_URL}{dossier.code}/request-supplement/", {}, format="json")
    wrong_type = client.post(f"{LIST_URL}{dossier.code}/request-supplement/", {"items": "CCCD"}, format="json")

    assert missing.json() == {"code": "invalid", "items": ["Trường này là bắt buộc."]}
    assert wrong_type.json() == {"code": "invalid", "items": ["Cần một danh sách, nhưng nhận được kiểu “str”."]}


def register(client, password: str):
    return client.post(
        reverse("portal:register"),
        {
            "applicant_type": 1,
            "full_name": "Trần Thị Bình",
            "email": "binh.tran@example.vn",
            "phone": "0912345678",
            "citizen_id": "034190001234",
            "organization_name": "",
            "tax_code": "",
            "password1": password,
            "password2": password,
        },
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab-1", "Mật khẩu quá ngắn: cần có ít nhất 8 ký tự."),
        ("password123", "Mật khẩu này quá phổ biến, dễ bị đoán ra."),
        ("83920174659", "Mật khẩu không được chỉ gồm chữ số."),
    ],
)
def test_the_register_page_explains_a_weak_password_in_vietnamese(client, password, message):
    response = register(client, password)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "This password" not in response.content.decode()
    assert not User.objects.exists()


def test_a_password_like_the_email_is_told_in_vietnamese(client):
    response = register(client, "binh.tran@example")

    html = response.content.decode()
    assert "Mật khẩu quá giống" in html
    assert "too similar" not in html


# What Django's own Vietnamese (and django-axes, which has none) leaves in English on the admin pages; locale/vi
# covers it.
ADMIN_ENGLISH = [
    "Skip to main content",
    "Toggle theme",
    "Toggle navigation",
    "Filter navigation items",
    'aria-label="Breadcrumbs"',
    'aria-label="Sidebar"',
    "Select all objects on this page",
    "Select this object for an action",
    "Model name",
    "Show counts",
    "Set password",
    "Password-based authentication",
    "Raw passwords are not stored",
    # django-axes ships no Vietnamese
    "Access attempts",
    "Access failures",
    "Access logs",
]


def test_the_admin_pages_leave_nothing_in_english(client, superuser, agency):
    procedure = ProcedureFactory(agency=agency)
    client.force_login(superuser)
    pages = [
        reverse("admin:index"),
        reverse("admin:procedures_procedure_changelist"),
        reverse("admin:procedures_procedure_change", args=[procedure.pk]),
        reverse("admin:portal_user_changelist"),
        reverse("admin:portal_user_change", args=[superuser.pk]),
        reverse("admin:portal_user_add"),
    ]

    for url in pages:
        html = client.get(url).content.decode()
        assert [text for text in ADMIN_ENGLISH if text in html] == [], url
    index = client.get(reverse("admin:index")).content.decode()
    assert "Chuyển đến nội dung chính" in index
    assert "<h1>Trang quản trị</h1>" in index and "Quản trị Cổng Dịch vụ công" in index


def test_the_admin_date_calendar_and_selector_speak_vietnamese(client, superuser):
    client.force_login(superuser)

    catalogue = client.get(reverse("admin:jsi18n")).content.decode()

    for text in ("Thứ hai", "Chủ nhật", "Chọn tất cả %s", "Bỏ các %s đã đánh dấu", "Gõ vào ô này để lọc"):
        assert json.dumps(text)[1:-1] in catalogue  # the catalogue writes non-ASCII as \u escapes
