"""The citizen's side in a real browser: a refused application keeps the chosen file and puts the caret on the first
field in error, the corrected form is submitted without choosing the file again; the office's notification shows as
an unread count in the header and on the notifications page; at phone width the navigation is a folded menu."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dossiers import services
from dossiers.models import Dossier
from tests.factories import ProcedureFactory, RequiredDocumentFactory, UserFactory, pdf_upload

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def write_pdf(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(pdf_upload(name).read())
    return path


def test_a_refused_form_keeps_the_file_and_the_notification_is_listed(new_page, tmp_path):
    procedure = ProcedureFactory(
        full_online=True,
        name="Cấp bản sao trích lục hộ tịch",
        applicant_fields=[{"name": "ho_ten", "label": "Họ tên người được cấp", "type": "text", "required": True}],
    )
    RequiredDocumentFactory(procedure=procedure, name="Tờ khai cấp bản sao", accepted_file_types=["pdf"])
    citizen = UserFactory(citizen=True, full_name="Đỗ Thị Mai")
    reception_user = UserFactory(reception_officer=True, agency=procedure.agency)
    page = new_page(citizen)

    # 1. Submitted with the file but without the required name: refused, the caret on the name, the file kept.
    page.goto(f"/nop-ho-so/{procedure.code}/?moi=1")
    page.get_by_label("Số điện thoại liên hệ").fill("0912345678")
    page.get_by_label("Địa chỉ liên hệ").fill("5 Trần Hưng Đạo")
    page.get_by_label("Tờ khai cấp bản sao").set_input_files(write_pdf(tmp_path, "to-khai.pdf"))
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()

    expect(page.locator(".form-errors")).to_contain_text("Họ tên người được cấp")
    expect(page.get_by_label("Họ tên người được cấp")).to_be_focused()
    expect(page.locator("#thanh-phan")).to_contain_text("đã chọn: to-khai.pdf")

    # 2. Corrected and submitted again, without choosing the file again: the dossier has it.
    page.get_by_label("Họ tên người được cấp").fill("Đỗ Văn Nam")
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    expect(page).to_have_url(re.compile(r"/ho-so-cua-toi/\d+/$"))
    expect(page.locator(".dossier-page")).to_contain_text("to-khai.pdf")
    dossier = Dossier.objects.get(applicant=citizen)

    # 3. Submitting was told (one unread); the office receives it (two): the header counts them, the list marks them,
    # opening the newest reads it and leads to the dossier.
    badge = page.locator(".account__notifications .badge--count")
    expect(badge).to_contain_text("1")
    services.dossier_receive(dossier=dossier, officer=reception_user)
    page.reload()
    expect(badge).to_contain_text("2")
    page.locator(".account__notifications").click()
    unread = page.locator(".notification--unread")
    expect(unread).to_have_count(2)
    expect(unread.first).to_contain_text(f"Hồ sơ {dossier.code} đã được tiếp nhận")
    unread.first.locator(".notification__subject").click()
    expect(page).to_have_url(re.compile(rf"/ho-so-cua-toi/{dossier.pk}/$"))
    expect(badge).to_contain_text("1")


def test_the_navigation_folds_into_a_menu_at_phone_width(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/")
    menu_item = page.locator(".main-nav__list").get_by_role("link", name="Tra cứu hồ sơ")
    expect(page.locator(".main-nav__toggle")).to_be_visible()
    expect(menu_item).to_be_hidden()
    page.locator(".main-nav__toggle").click()
    expect(menu_item).to_be_visible()

    wide = new_page()
    wide.goto("/")
    expect(wide.locator(".main-nav__toggle")).to_be_hidden()
    expect(wide.locator(".main-nav__list").get_by_role("link", name="Tra cứu hồ sơ")).to_be_visible()
