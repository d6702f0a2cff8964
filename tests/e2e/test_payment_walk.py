"""Paying a fee, walked in a real browser: a citizen applies for a procedure whose fee is paid with the application,
reviews it, submits and pays on the sandbox bank's page (the bank tells the portal server to server, then sends the
browser back), sees "Đã thanh toán" and downloads the electronic receipt; the reception officer sees the dossier
paid in the "new" queue and receives it.

Set E2E_SHOTS_DIR to a folder to keep screenshots of the main pages (nothing is written otherwise)."""

import re

import pytest
from playwright.sync_api import expect

from dossiers.constants import FeeTiming
from tests.factories import ProcedureFactory, RequiredDocumentFactory, UserFactory

from .test_dossier_walk import PHONE, shot, write_pdf

pytestmark = pytest.mark.e2e


@pytest.fixture
def sandbox_bank(live_server, settings):
    """The sandbox bank on the live server: it calls the portal's IPN there, and the portal's VNPay adapter goes
    to its pages and API."""
    tmn_code = settings.VNPAY["TMN_CODE"]
    registration = settings.SANDBOX_BANK["MERCHANTS"][tmn_code]
    settings.SANDBOX_BANK = {
        "MERCHANTS": {tmn_code: {**registration, "IPN_URL": f"{live_server.url}/thanh-toan/vnpay/ipn/"}}
    }
    settings.VNPAY = {
        **settings.VNPAY,
        "PAYMENT_URL": f"{live_server.url}/sandbox/ngan-hang/paymentv2/vpcpay.html",
        "API_URL": f"{live_server.url}/sandbox/ngan-hang/merchant_webapi/api/transaction",
    }


def test_a_citizen_pays_the_fee_online_and_reception_sees_it_paid(new_page, sandbox_bank, tmp_path):
    procedure = ProcedureFactory(
        full_online=True,
        name="Cấp Phiếu lý lịch tư pháp",
        fee=200_000,
        fee_timing=FeeTiming.SUBMISSION,
    )
    RequiredDocumentFactory(procedure=procedure, name="Tờ khai yêu cầu cấp Phiếu", accepted_file_types=["pdf"])
    citizen = UserFactory(citizen=True, full_name="Đỗ Thị Hoa")
    reception_user = UserFactory(reception_officer=True, agency=procedure.agency, full_name="Lê Văn Một Cửa")
    citizen_page = new_page(citizen, viewport=PHONE)
    reception = new_page(reception_user)

    # 1. The citizen fills the application and reviews it: the fee is paid with it.
    citizen_page.goto(f"/nop-ho-so/{procedure.code}/")
    citizen_page.get_by_label("Số điện thoại liên hệ").fill("0912345678")
    citizen_page.get_by_label("Địa chỉ liên hệ").fill("5 Trần Phú, phường Ba Đình")
    citizen_page.get_by_label("Tờ khai yêu cầu cấp Phiếu").set_input_files(write_pdf(tmp_path, "to-khai.pdf"))
    citizen_page.get_by_role("button", name="Xem lại").click()
    fee_panel = citizen_page.locator(".payment-panel")
    expect(fee_panel).to_contain_text("200.000 đồng")
    shot(citizen_page, "p1-review-phone")

    # 2. Submit and pay: off to the sandbox bank's page, where the payment succeeds.
    fee_panel.get_by_role("button", name="Nộp hồ sơ và thanh toán").click()
    expect(citizen_page).to_have_url(re.compile(r"/sandbox/ngan-hang/paymentv2/vpcpay\.html\?"))
    expect(citizen_page.locator("#so-tien")).to_have_text("200.000 VND")
    shot(citizen_page, "p2-bank-phone")
    citizen_page.get_by_label("Thanh toán thành công").check()
    citizen_page.get_by_label("Ngay, trước khi chuyển trình duyệt về").check()
    citizen_page.get_by_role("button", name="Xác nhận").click()

    # 3. Back on the portal, the payment is confirmed (the bank's notification came first).
    expect(citizen_page).to_have_url(re.compile(r"/thanh-toan/giao-dich/TT[0-9A-F]+/$"))
    expect(citizen_page.locator(".payment-page__title")).to_have_text("Đã thanh toán")
    assert citizen_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page too wide"
    shot(citizen_page, "p3-paid-phone")
    with citizen_page.expect_download() as download:
        citizen_page.get_by_role("link", name=re.compile("Tải biên lai điện tử số 0000001")).click()
    receipt = tmp_path / "bien-lai.pdf"
    download.value.save_as(receipt)
    assert receipt.read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename.startswith("bien-lai-BL")

    # The dossier page says so too, with the payment on the timeline.
    citizen_page.get_by_role("link", name="Về trang hồ sơ").click()
    code = citizen_page.locator("#ma-ho-so").inner_text().strip()
    expect(citizen_page.locator(".payment-panel .fee-status")).to_have_text("Đã nộp phí")
    expect(citizen_page.locator(".timeline")).to_contain_text("Nộp phí, lệ phí")
    assert citizen_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page too wide"

    # 4. Reception sees it paid in the queue of new dossiers, filters on it, and receives it.
    reception.goto("/can-bo/hang-doi/new/")
    reception.get_by_label("Phí, lệ phí").select_option("paid")
    reception.get_by_role("button", name="Lọc hồ sơ").click()
    row = reception.locator(".queue-table tbody tr", has_text=code)
    expect(row.locator(".queue-table__fee")).to_have_text("Đã nộp phí")
    shot(reception, "p4-queue-paid")
    row.get_by_role("link", name=code).click()
    expect(reception.locator(".payment-panel")).to_contain_text("Biên lai số 0000001")
    reception.locator("form.action-form--receive").get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(reception.locator(".messages")).to_contain_text(f"Đã tiếp nhận hồ sơ {code}")
