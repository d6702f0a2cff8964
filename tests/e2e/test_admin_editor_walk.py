"""An agency administrator adds applicant fields to a procedure in the admin, in a real browser: "Thêm dòng" adds
rows beyond the blank ones, a repeated code is refused beside its row, and once corrected the fields are saved in
the order given."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ProcedureFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_agency_admin_adds_fields_with_the_row_editor(new_page, transactional_db):
    procedure = ProcedureFactory(
        name="Cấp giấy phép khai thác nước mặt",
        applicant_fields=[{"name": "ten_nguon_nuoc", "label": "Tên nguồn nước", "type": "text", "required": True}],
    )
    admin_user = UserFactory(agency_admin=True, agency=procedure.agency, full_name="Vũ Quản Trị")
    page = new_page(admin_user, next_url=f"/quan-tri/procedures/procedure/{procedure.pk}/change/")
    editor = page.locator(".applicant-fields-editor")
    expect(editor.locator("tbody tr")).to_have_count(4)  # the stored field and three blank rows

    # Four new fields: the three blank rows and one added with "Thêm dòng"
    editor.get_by_role("button", name="Thêm dòng").click()
    expect(editor.locator("tbody tr")).to_have_count(5)
    rows = [
        ("2", "luu_luong", "Lưu lượng khai thác", "Số"),
        ("3", "muc_dich", "Mục đích sử dụng", "Văn bản dài"),
        ("4", "ngay_bat_dau", "Ngày bắt đầu", "Ngày"),
        ("5", "luu_luong", "Số điện thoại liên hệ", "Số điện thoại"),
    ]
    for number, (position, name, label, kind) in enumerate(rows, start=2):
        editor.get_by_label(f"Thứ tự (dòng {number})").fill(position)
        editor.get_by_label(f"Mã trường (dòng {number})").fill(name)
        editor.get_by_label(f"Nhãn hiển thị (dòng {number})").fill(label)
        editor.get_by_label(f"Loại (dòng {number})").select_option(label=kind)
    page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()

    # The repeated code is refused beside its row; nothing is saved
    expect(page.locator(".errornote")).to_be_visible()
    expect(editor.locator("tbody tr").nth(4)).to_contain_text("Mã trường “luu_luong” đã có ở dòng trên.")
    procedure.refresh_from_db()
    assert [item["name"] for item in procedure.applicant_fields] == ["ten_nguon_nuoc"]

    editor.get_by_label("Mã trường (dòng 5)").fill("dien_thoai")
    page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()

    expect(page.locator(".messagelist")).to_contain_text(re.compile("thành công"))
    procedure.refresh_from_db()
    assert [(item["name"], item["type"]) for item in procedure.applicant_fields] == [
        ("ten_nguon_nuoc", "text"),
        ("luu_luong", "number"),
        ("muc_dich", "textarea"),
        ("ngay_bat_dau", "date"),
        ("dien_thoai", "phone"),
    ]
