"""The whole life of an online dossier, walked in a real browser by the four people it passes through.

Citizen applies with uploads → reception receives → asks for a supplement → citizen supplements →
reception forwards → processing takes and proposes a result → approver approves, which returns the signed
result online. The citizen (on a phone-sized window) sees each step on its dossier page, and the public
lookup shows the final status without personal data.

Set E2E_SHOTS_DIR to a folder to keep screenshots of the main pages (nothing is written otherwise).
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import ProcedureFactory, RequiredDocumentFactory, UserFactory, pdf_upload

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
SHOTS_DIR = os.environ.get("E2E_SHOTS_DIR", "")


def shot(page, name: str) -> None:
    if SHOTS_DIR:
        Path(SHOTS_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS_DIR) / f"{name}.png"), full_page=True)


def write_pdf(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(pdf_upload(name).read())
    return path


def act(page, action: str, label: str, fields: dict | None = None, files: dict | None = None) -> None:
    """Fill and submit the officer's action form of `action` (its submit button reads `label`)."""
    form = page.locator(f"form.action-form--{action}")
    details = form.locator("details")
    if details.count() and details.get_attribute("open") is None:
        form.locator("summary").click()
    for field_label, value in (fields or {}).items():
        form.get_by_label(field_label).fill(value)
    for field_label, path in (files or {}).items():
        form.get_by_label(field_label).set_input_files(path)
    form.get_by_role("button", name=label, exact=True).click()


def open_from_queue(page, queue_label: str, code: str) -> None:
    """From the workbench, open the queue, search the code and open the dossier."""
    page.goto("/can-bo/")
    page.locator(".queue-tabs").get_by_role("link", name=re.compile(queue_label)).click()
    expect(page.locator(".workbench__title")).to_have_text(queue_label)
    page.get_by_label("Tìm hồ sơ").fill(code)
    page.get_by_role("button", name="Lọc hồ sơ").click()
    expect(page.locator(".result-count")).to_contain_text("1 hồ sơ")
    page.locator(".queue-table").get_by_role("link", name=code).click()
    expect(page.locator(".procedure-head .code")).to_have_text(code)


def expect_citizen_status(page, dossier_url: str, status: str) -> None:
    page.goto(dossier_url)
    expect(page.locator(".dossier-page .facts .status")).to_have_text(status)
    # On a phone nothing may widen the page into a sideways scroll (long links, codes, tables).
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{status}: page too wide"


def test_dossier_walks_from_application_to_result(new_page, tmp_path):
    procedure = ProcedureFactory(
        full_online=True,
        name="Cấp giấy phép kinh doanh karaoke",
        applicant_fields=[
            {"name": "ten_co_so", "label": "Tên cơ sở kinh doanh", "type": "text", "required": True},
            {"name": "so_phong", "label": "Số phòng hát", "type": "number", "required": True},
        ],
    )
    RequiredDocumentFactory(procedure=procedure, name="Đơn đề nghị cấp giấy phép", accepted_file_types=["pdf"])
    RequiredDocumentFactory(procedure=procedure, name="Bản vẽ mặt bằng cơ sở", accepted_file_types=["pdf"])
    agency = procedure.agency
    citizen = UserFactory(citizen=True, full_name="Trần Thị Lan")
    reception_user = UserFactory(reception_officer=True, agency=agency, full_name="Lê Văn Một Cửa")
    processing_user = UserFactory(processing_officer=True, agency=agency, full_name="Phạm Chuyên Viên")
    approver_user = UserFactory(approver=True, agency=agency, full_name="Hoàng Lãnh Đạo")

    citizen_page = new_page(citizen, viewport=PHONE)
    reception = new_page(reception_user)
    processing = new_page(processing_user)
    approver = new_page(approver_user)

    # 1. The citizen applies from the procedure's page, with a PDF for each component.
    citizen_page.goto(f"/thu-tuc/{procedure.code}/")
    citizen_page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    expect(citizen_page.get_by_role("heading", level=1)).to_contain_text(procedure.name)
    # "Các mục có dấu * là bắt buộc khi nộp": the fields that submitting requires carry the "*".
    for required in ("applicant_phone", "applicant_address", "ten_co_so", "so_phong"):
        expect(citizen_page.locator(f'[data-field="{required}"] .field__required')).to_be_visible()
    citizen_page.get_by_label("Số điện thoại liên hệ").fill("0912345678")
    citizen_page.get_by_label("Địa chỉ liên hệ").fill("12 Lê Lợi, phường Hàm Rồng")
    citizen_page.get_by_label("Tên cơ sở kinh doanh").fill("Karaoke Hoa Sen")
    citizen_page.get_by_label("Số phòng hát").fill("6")
    citizen_page.get_by_label("Đơn đề nghị cấp giấy phép").set_input_files(write_pdf(tmp_path, "don-de-nghi.pdf"))
    citizen_page.get_by_label("Bản vẽ mặt bằng cơ sở").set_input_files(write_pdf(tmp_path, "ban-ve.pdf"))
    citizen_page.get_by_label("Nhận trực tuyến").check()
    shot(citizen_page, "01-citizen-apply")
    citizen_page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()

    expect(citizen_page).to_have_url(re.compile(r"/ho-so-cua-toi/\d+/$"))
    code = citizen_page.locator("#ma-ho-so").inner_text().strip()
    assert re.fullmatch(rf"{re.escape(agency.code)}-\d{{6}}-\d{{4}}", code), code
    expect(citizen_page.locator(".messages")).to_contain_text(code)
    expect(citizen_page.locator(".dossier-page .facts .status")).to_have_text("Mới đăng ký")
    dossier_url = citizen_page.url
    shot(citizen_page, "02-citizen-submitted-phone")

    # 2. Reception finds it in the "new" queue, receives it, then asks for a supplement.
    open_from_queue(reception, "Hồ sơ mới chờ tiếp nhận", code)
    expect(reception.locator(".document-list")).to_contain_text("don-de-nghi.pdf")
    expect(reception.locator(".document-list")).to_contain_text("ban-ve.pdf")
    expect(reception.locator("main")).to_contain_text("Karaoke Hoa Sen")
    shot(reception, "03-officer-dossier-new")
    act(reception, "receive", "Tiếp nhận hồ sơ", {"Ghi chú": "Hồ sơ đủ thành phần."})
    expect(reception.locator(".messages")).to_contain_text(f"Đã tiếp nhận hồ sơ {code}")
    expect(reception.locator("[data-status]")).to_have_text("Đã tiếp nhận")

    expect_citizen_status(citizen_page, dossier_url, "Đã tiếp nhận")
    expect(citizen_page.get_by_role("link", name="Giấy tiếp nhận hồ sơ và hẹn trả kết quả")).to_be_visible()

    act(
        reception,
        "request_supplement",
        "Gửi yêu cầu bổ sung",
        {
            "Giấy tờ khác cần bổ sung (mỗi dòng một giấy tờ)": "Giấy chứng nhận phòng cháy chữa cháy\nBản sao CCCD",
            "Hướng dẫn cho người nộp": "Bản chụp rõ nét, đủ các trang.",
        },
    )
    expect(reception.locator(".messages")).to_contain_text(f"Đã gửi yêu cầu bổ sung hồ sơ {code}")
    expect(reception.locator("[data-status]")).to_have_text("Yêu cầu bổ sung hồ sơ")

    # 3. The citizen finds it in "my dossiers", sees what is asked and answers with a file.
    citizen_page.goto("/ho-so-cua-toi/")
    citizen_page.get_by_role("link", name=code).click()
    expect(citizen_page).to_have_url(dossier_url)
    expect(citizen_page.locator(".dossier-page .facts .status")).to_have_text("Yêu cầu bổ sung hồ sơ")
    request_panel = citizen_page.locator("#bo-sung")
    expect(request_panel).to_contain_text("Giấy chứng nhận phòng cháy chữa cháy")
    expect(request_panel).to_contain_text("Bản sao CCCD")
    expect(request_panel).to_contain_text("Bản chụp rõ nét, đủ các trang.")
    shot(citizen_page, "04-citizen-supplement-requested-phone")
    expect(request_panel).to_contain_text("Hạn bổ sung:")
    request_panel.get_by_label("Giấy chứng nhận phòng cháy chữa cháy").set_input_files(write_pdf(tmp_path, "pccc.pdf"))
    request_panel.get_by_label("Bản sao CCCD").set_input_files(write_pdf(tmp_path, "cccd.pdf"))
    request_panel.get_by_label("Ghi chú gửi cơ quan giải quyết").fill("Đã bổ sung đủ hai giấy tờ.")
    request_panel.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
    expect(citizen_page.locator(".messages")).to_contain_text("Đã gửi hồ sơ bổ sung")
    expect(citizen_page.locator(".dossier-page .facts .status")).to_have_text("Đã tiếp nhận")
    expect(citizen_page.locator("#bo-sung")).to_have_count(0)
    expect(citizen_page.locator(".dossier-page")).to_contain_text("pccc.pdf")

    # 4. Reception forwards it; processing takes it and proposes a result; the approver approves.
    reception.reload()
    expect(reception.locator("[data-status]")).to_have_text("Đã tiếp nhận")
    expect(reception.locator(".document-list")).to_contain_text("pccc.pdf")
    act(reception, "forward", "Chuyển xử lý", {"Ghi chú": "Chuyển phòng Văn hoá."})
    expect(reception.locator(".messages")).to_contain_text(f"Đã chuyển hồ sơ {code} sang xử lý")
    expect(reception.locator("[data-status]")).to_have_text("Đang xử lý")

    expect_citizen_status(citizen_page, dossier_url, "Đang xử lý")

    open_from_queue(processing, "Cần xử lý", code)
    act(processing, "take", "Nhận xử lý hồ sơ")
    expect(processing.locator(".messages")).to_contain_text(f"Bạn đã nhận xử lý hồ sơ {code}")
    expect(processing.locator(".detail-aside")).to_contain_text("Phạm Chuyên Viên")
    act(
        processing,
        "propose",
        "Trình phê duyệt",
        {"Ý kiến, lý do (bắt buộc khi đề xuất từ chối)": "Đủ điều kiện cấp phép."},
        {"Văn bản kết quả giải quyết": write_pdf(tmp_path, "giay-phep.pdf")},
    )
    expect(processing.locator(".messages")).to_contain_text(f"Đã trình phê duyệt hồ sơ {code}")
    expect(processing.locator("[data-status]")).to_have_text("Chờ phê duyệt")
    shot(processing, "05-officer-dossier-proposed")

    # The proposed result is not the citizen's yet.
    citizen_page.goto(dossier_url)
    expect(citizen_page.locator("main")).not_to_contain_text("giay-phep.pdf")

    open_from_queue(approver, "Chờ phê duyệt", code)
    expect(approver.locator("#ket-qua")).to_contain_text("giay-phep.pdf")  # the result, apart from the files
    act(approver, "approve", "Phê duyệt", {"Ghi chú": "Đồng ý."})
    expect(approver.locator(".messages")).to_contain_text(f"Đã phê duyệt hồ sơ {code}")

    # 5. Chosen online, the signed result is returned at approval (tests/e2e/test_result_walk.py verifies it).
    expect(approver.locator("[data-status]")).to_have_text("Đã trả kết quả")
    shot(approver, "06-officer-dossier-returned")
    expect_citizen_status(citizen_page, dossier_url, "Đã trả kết quả")
    expect(citizen_page.get_by_role("link", name="Tải kết quả điện tử đã ký số")).to_be_visible()

    expect_citizen_status(citizen_page, dossier_url, "Đã trả kết quả")
    timeline = citizen_page.locator(".timeline")
    for step in ("Tiếp nhận", "Yêu cầu bổ sung", "Phê duyệt"):
        expect(timeline).to_contain_text(step)
    expect(timeline).not_to_contain_text("Lê Văn Một Cửa")  # officers appear by role, not by name
    shot(citizen_page, "07-citizen-returned-phone")

    # 6. The public lookup, at a kiosk nobody is signed in to: the final status, no personal data.
    kiosk = new_page()
    kiosk.goto("/tra-cuu/")
    kiosk.get_by_role("textbox", name="Mã hồ sơ", exact=True).fill(code)
    kiosk.get_by_label("4 số cuối CCCD/mã số thuế hoặc số điện thoại").fill(citizen.citizen_id[-4:])
    kiosk.get_by_role("button", name="Tra cứu", exact=True).click()
    result = kiosk.locator(".lookup-result")
    expect(result.locator(".lookup-status")).to_contain_text("Đã trả kết quả")
    # The digits went in the POST body: the address (kept by the history, proxies and logs) holds none.
    assert "second_factor" not in kiosk.url and citizen.citizen_id[-4:] not in kiosk.url
    expect(result).to_contain_text(code)
    expect(result).to_contain_text(procedure.name)
    main = kiosk.locator("main")
    for private in (citizen.full_name, citizen.citizen_id, "Karaoke Hoa Sen", "0912345678", "Lê Văn Một Cửa"):
        expect(main).not_to_contain_text(private)
    shot(kiosk, "08-lookup")
