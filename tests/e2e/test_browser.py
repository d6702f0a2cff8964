"""A visitor's journeys in a real browser: find a procedure from the home page; register."""

import pytest
from playwright.sync_api import expect

from portal.constants import Role
from portal.models import User
from tests.factories import ProcedureFactory, RequiredDocumentFactory

pytestmark = pytest.mark.e2e


def test_visitor_finds_a_featured_procedure_and_its_documents(page):
    permit = ProcedureFactory(code="1.009972", name="Cấp giấy phép xây dựng nhà ở riêng lẻ", featured=True)
    RequiredDocumentFactory(procedure=permit, name="Đơn đề nghị cấp giấy phép xây dựng")
    RequiredDocumentFactory(procedure=permit, name="Bản vẽ thiết kế xây dựng")
    ProcedureFactory(name="Đăng ký khai sinh")

    page.goto("/")
    assert "Cổng Dịch vụ công" in page.title()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dịch vụ công trực tuyến")
    expect(page.locator("[aria-labelledby=featured-title] .card-grid")).to_contain_text(permit.name)

    page.fill("#home-q", "giay phep xay dung")
    page.locator("form.search-box button[type=submit]").click()

    page.wait_for_url("**/thu-tuc/?q=giay+phep+xay+dung")
    results = page.locator(".catalogue-table tbody")
    expect(results).to_contain_text(permit.name)
    expect(results).not_to_contain_text("Đăng ký khai sinh")

    results.get_by_role("link", name=permit.name).click()

    page.wait_for_url(f"**/thu-tuc/{permit.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(permit.name)
    documents = page.locator(".documents-table")
    expect(documents).to_contain_text("Đơn đề nghị cấp giấy phép xây dựng")
    expect(documents).to_contain_text("Bản vẽ thiết kế xây dựng")


def test_citizen_registers_and_sees_its_name_in_the_header(page, live_server):
    page.goto("/dang-ky/")
    expect(page.locator('[data-applicant="enterprise"]')).to_be_hidden()
    page.fill('input[name="full_name"]', "Phạm Thị Hoa")
    page.fill('input[name="email"]', "hoa.pham@example.vn")
    page.fill('input[name="phone"]', "0987654321")
    page.fill('input[name="citizen_id"]', "034192005678")
    page.fill('input[name="password1"]', "Hoa-sen-no-ro-2026")
    page.fill('input[name="password2"]', "Hoa-sen-no-ro-2026")
    page.locator("form.register-form button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".account__name")).to_contain_text("Phạm Thị Hoa")
    user = User.objects.get(email="hoa.pham@example.vn")
    assert user.citizen_id == "034192005678"
    assert user.has_role(Role.CITIZEN)
