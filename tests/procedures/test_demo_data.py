"""The demo data that `make run` loads: complete, valid, idempotent, and usable to sign in."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from portal.constants import OFFICER_ROLES, ApplicantType, Role
from portal.models import User
from procedures.constants import OnlineLevel, TimeUnit
from procedures.demo import (
    CITIZEN,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    ENTERPRISE,
    OFFICER,
    PROCEDURES,
    SUPERUSER,
    load_demo,
)
from procedures.models import Agency, Field, Procedure, RequiredDocument

pytestmark = pytest.mark.django_db

DEMO_EMAILS = [account.email for account in DEMO_ACCOUNTS]


def _load_demo_command() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        "agencies": Agency.objects.count(),
        "fields": Field.objects.count(),
        "procedures": Procedure.objects.count(),
        "documents": RequiredDocument.objects.count(),
        "users": User.objects.count(),
        "memberships": User.groups.through.objects.count(),
    }


@pytest.fixture
def demo():
    return load_demo()


def test_load_demo_twice_leaves_the_same_rows():
    first = _load_demo_command()
    counts = _counts()
    second = _load_demo_command()

    assert _counts() == counts
    assert counts["procedures"] == len(PROCEDURES)
    assert counts["users"] == len(DEMO_ACCOUNTS)
    assert f"{len(DEMO_ACCOUNTS)} mới tạo" in first
    assert "0 mới tạo" in second


def test_reloading_restores_an_edited_procedure_and_its_documents(demo):
    procedure = Procedure.objects.get(code="1.001193")
    original_name = procedure.name
    original_documents = list(procedure.documents.values_list("position", "name"))
    procedure.name = "Tên đã bị sửa"
    procedure.save()
    procedure.documents.first().delete()
    RequiredDocument.objects.create(procedure=procedure, name="Giấy tờ thêm", position=99)

    load_demo()

    procedure.refresh_from_db()
    assert procedure.name == original_name
    assert "khai sinh" in procedure.search_text
    assert list(procedure.documents.values_list("position", "name")) == original_documents


def test_the_catalogue_is_large_varied_and_valid(demo):
    procedures = Procedure.objects.active().select_related("agency", "field").prefetch_related("documents")
    assert procedures.count() >= 30

    for procedure in procedures:
        procedure.full_clean()
        assert procedure.search_text, procedure.code
        documents = list(procedure.documents.all())
        assert 2 <= len(documents) <= 5, procedure.code
        assert [document.position for document in documents] == list(range(1, len(documents) + 1))
        for document in documents:
            document.full_clean()

    levels = set(procedures.values_list("online_level", flat=True))
    assert levels == {OnlineLevel.FULL, OnlineLevel.PARTIAL, OnlineLevel.NOT_ONLINE}
    assert not procedures.filter(online_level=OnlineLevel.NOT_ONLINE, accepts_online=True).exists()
    units = set(procedures.values_list("processing_time_unit", flat=True))
    assert units == {TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS, TimeUnit.CALENDAR_DAYS}
    assert procedures.filter(cutoff_time__isnull=False).exists()
    assert procedures.filter(fee=0).exists() and procedures.filter(fee__gt=0).exists()
    assert 6 <= procedures.filter(is_featured=True).count() <= 10


def test_the_agencies_form_a_province_with_departments_and_communes(demo):
    province = Agency.objects.get(code="000.00.00.H56")
    assert province.parent is None
    children = province.children.all()
    assert children.filter(level="department").count() >= 8
    assert children.filter(level="commune").count() >= 3
    for agency in Agency.objects.all():
        agency.full_clean()
    assert Agency.objects.get(code="000.00.25.H56").name == "Sở Công Thương"


@pytest.mark.parametrize("role", sorted(OFFICER_ROLES))
def test_each_officer_role_has_demo_officers_attached_to_an_agency(demo, role):
    officers = User.objects.filter(email__in=DEMO_EMAILS, groups__name=role)
    assert officers.count() == 2
    for officer in officers:
        assert officer.agency is not None
        assert officer.is_officer
        assert officer.check_password(DEMO_PASSWORD)
        assert officer.is_staff == (role == Role.AGENCY_ADMIN)
    assert {officer.agency.level for officer in officers} == {"department", "commune"}


def test_the_applicants_and_the_administrator(demo):
    citizen_group = Group.objects.get(name=Role.CITIZEN)
    citizen = User.objects.get(email=next(a.email for a in DEMO_ACCOUNTS if a.kind == CITIZEN))
    enterprise = User.objects.get(email=next(a.email for a in DEMO_ACCOUNTS if a.kind == ENTERPRISE))
    admin = User.objects.get(email=next(a.email for a in DEMO_ACCOUNTS if a.kind == SUPERUSER))

    assert citizen.applicant_type == ApplicantType.CITIZEN and citizen.citizen_id == "034090001234"
    assert enterprise.applicant_type == ApplicantType.ENTERPRISE and enterprise.tax_code
    assert citizen_group in citizen.groups.all() and citizen_group in enterprise.groups.all()
    for user in (citizen, enterprise):
        user.full_clean()
        assert not user.is_officer
    assert admin.is_superuser and admin.is_staff and admin.check_password(DEMO_PASSWORD)


@pytest.mark.parametrize("kind", [CITIZEN, ENTERPRISE, OFFICER])
def test_a_demo_account_signs_in_through_the_login_page(demo, kind):
    account = next(account for account in DEMO_ACCOUNTS if account.kind == kind)
    username = account.identifier or account.email
    client = Client()

    response = client.post(reverse("portal:login"), {"username": username, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=account.email).pk)


def test_demo_accounts_prints_every_login():
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    table = out.getvalue()

    for account in DEMO_ACCOUNTS:
        assert account.email in table
        assert account.label in table
    assert "034090001234" in table
    assert DEMO_PASSWORD in table


def test_the_demo_forms_download_from_the_procedure_page(client, demo):
    # Given a demo procedure whose application form is "Mẫu số 01"
    document = RequiredDocument.objects.select_related("procedure").get(
        name="Đơn đề nghị cấp Giấy phép bán buôn rượu (Mẫu số 01)"
    )
    page = client.get(reverse("procedures:detail", args=[document.procedure.code])).content.decode()
    link = reverse("procedures:document-template", args=[document.procedure.code, document.pk])
    assert f'href="{link}"' in page

    response = client.get(link)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    # (the storage adds a suffix when a file of that name is already stored)
    assert re.search(
        r'filename="mau-don-de-nghi-cap-giay-phep-ban-buon-ruou(_\w+)?\.pdf"', response["Content-Disposition"]
    )
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"%PDF-")
    assert b"/Title" in content


def test_only_forms_to_fill_in_carry_a_blank_form_and_reloading_keeps_them(demo):
    with_form = RequiredDocument.objects.exclude(template="")
    names = set(with_form.values_list("name", flat=True))
    assert len(names) >= 30
    assert "Tờ khai đăng ký khai sinh (theo mẫu)" in names
    assert "Thể lệ chương trình khuyến mại (Mẫu số 02)" in names
    # What the applicant brings of its own has no form to download
    assert "Mẫu vé số dự thưởng hoặc hình ảnh hàng hóa khuyến mại" not in names
    assert "Bản sao hóa đơn thương mại" not in names
    files = dict(with_form.values_list("pk", "template"))

    load_demo()

    assert dict(RequiredDocument.objects.exclude(template="").values_list("pk", "template")) == files
