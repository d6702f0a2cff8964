"""The desk's day in a real browser at 1366 × 768: each officer lands on its own work after signing in; the
reception officer finds a dossier by the name typed without diacritics, receives two online dossiers checked at
once, assigns one and reassigns it with a reason; a specialist claims the other from its queue; the queue table
and the assignee list stay within the window."""

import re

import pytest
from playwright.sync_api import expect

from dossiers import services
from dossiers.constants import DossierStatus
from tests.factories import AgencyFactory, ProcedureFactory, UserFactory, dossier_in_status

pytestmark = pytest.mark.e2e

LAPTOP = {"width": 1366, "height": 768}


def fits_horizontally(page, selector: str) -> bool:
    """Nothing of the element is cut off or scrolled sideways: it ends within the window and scrolls nothing."""
    return page.locator(selector).first.evaluate(
        "el => el.scrollWidth <= el.clientWidth + 1 && el.getBoundingClientRect().right <= window.innerWidth"
    )


def test_the_desk_searches_receives_assigns_and_a_specialist_claims(new_page):
    agency = AgencyFactory()
    procedure = ProcedureFactory(agency=agency, name="Cấp giấy phép xây dựng đối với nhà ở riêng lẻ tại đô thị")
    people = {
        "reception": UserFactory(reception_officer=True, agency=agency, full_name="Lê Thị Tiếp Nhận"),
        "processing": UserFactory(processing_officer=True, agency=agency, full_name="Phạm Minh Chuyên Viên"),
        "approver": UserFactory(approver=True, agency=agency, full_name="Trần Văn Lãnh Đạo"),
    }
    second_specialist = UserFactory(
        processing_officer=True, agency=agency, full_name="Nguyễn Thị Hồng Nhung Chuyên Viên Thụ Lý Hồ Sơ Đất Đai"
    )
    an, _people = dossier_in_status(
        DossierStatus.SUBMITTED,
        procedure=procedure,
        applicant=UserFactory(citizen=True, full_name="Nguyễn Văn An"),
        officers=people,
    )
    binh, _people = dossier_in_status(
        DossierStatus.SUBMITTED,
        procedure=procedure,
        applicant=UserFactory(citizen=True, full_name="Đỗ Thị Bình"),
        officers=people,
    )

    # The reception officer lands on its desk, without the applicant's menu
    desk = new_page(people["reception"], viewport=LAPTOP)
    expect(desk).to_have_url(re.compile(r"/can-bo/$"))
    expect(desk.locator(".main-nav")).not_to_contain_text("Hồ sơ của tôi")

    # It finds Mr An by his name typed without diacritics
    desk.get_by_label("Tìm hồ sơ").fill("nguyen van an")
    desk.get_by_role("button", name="Lọc hồ sơ").click()
    expect(desk.locator(".result-count")).to_contain_text("1 hồ sơ")
    expect(desk.locator(".queue-table")).to_contain_text(an.code)

    # Both new online dossiers are received at once, each told apart, and the table fits the window
    desk.get_by_role("link", name="Xoá bộ lọc").click()
    expect(desk.locator(".result-count")).to_contain_text("2 hồ sơ")
    assert fits_horizontally(desk, ".table-wrap")
    desk.get_by_label(f"Chọn hồ sơ {an.code}").check()
    desk.get_by_label(f"Chọn hồ sơ {binh.code}").check()
    desk.get_by_role("button", name="Tiếp nhận các hồ sơ trực tuyến đã chọn").click()
    expect(desk.locator(".messages")).to_contain_text(f"Đã tiếp nhận hồ sơ {an.code}")
    expect(desk.locator(".messages")).to_contain_text(f"Đã tiếp nhận hồ sơ {binh.code}")
    for dossier in (an, binh):
        dossier.refresh_from_db()
        services.dossier_forward(dossier=dossier, officer=people["reception"])

    # It assigns Mr An's dossier, then gives it to another specialist with a reason, both on the timeline
    desk.goto(f"/can-bo/ho-so/{an.pk}/")
    assign = desk.locator("form.action-form--assign")
    assign.locator("summary").click()
    assign.get_by_label("Giao cho chuyên viên").select_option(label="Phạm Minh Chuyên Viên")
    assert fits_horizontally(desk, "form.action-form--assign select")
    assign.get_by_role("button", name="Giao xử lý").click()
    expect(desk.locator(".messages")).to_contain_text(f"Đã giao hồ sơ {an.code} cho chuyên viên xử lý.")
    assign = desk.locator("form.action-form--assign")
    assign.locator("summary").click()
    assign.get_by_label("Giao cho chuyên viên").select_option(label=second_specialist.full_name)
    assign.get_by_label("Lý do (bắt buộc khi giao lại cho người khác)").fill("Anh Minh đi công tác")
    assign.get_by_role("button", name="Giao lại").click()
    expect(desk.locator(".messages")).to_contain_text(f"Đã giao hồ sơ {an.code} cho chuyên viên xử lý.")
    expect(desk.locator(".timeline, .panel").filter(has_text="Anh Minh đi công tác").first).to_be_visible()

    # A specialist lands on its desk and claims Ms Bình's dossier, nobody's yet, from its queue
    specialist = new_page(people["processing"], viewport=LAPTOP)
    expect(specialist).to_have_url(re.compile(r"/can-bo/$"))
    specialist.goto("/can-bo/hang-doi/to_process/?assigned=unassigned")
    row = specialist.locator(f'.queue-row[data-dossier="{binh.pk}"]')
    expect(row.locator("[data-time-left]")).to_contain_text("còn")
    row.get_by_role("button", name="Nhận xử lý").click()
    expect(specialist.locator(".messages")).to_contain_text(f"Bạn đã nhận xử lý hồ sơ {binh.code}.")

    # The leader lands on what awaits its approval, and has the risk queue
    leader = new_page(people["approver"], viewport=LAPTOP)
    expect(leader).to_have_url(re.compile(r"/can-bo/hang-doi/awaiting_approval/$"))
    expect(leader.locator(".queue-tabs")).to_contain_text("Có nguy cơ trễ hạn")
