"""The citizen's half of a result by post, walked in a real browser (Debian's Chromium through Playwright): the
citizen applies choosing the post with a structured address (the sandbox carrier's postage appears as soon as the
commune is chosen), reviews it, submits and pays the fee on the sandbox bank's page, then pays the postage the same
way; the office decides (services); reception hands the result to the post from the officer page; the sandbox
carrier's control page delivers the parcel; the citizen's page shows "Đã giao" with the carrier's timeline."""

import re

import pytest
from playwright.sync_api import expect

from dossiers import services as dossier_services
from dossiers.constants import FeeTiming, Outcome, PostageStatus
from dossiers.models import Dossier
from postal import services as postal_services
from postal.models import Shipment
from tests.factories import (
    CommuneFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
    UserFactory,
    pdf_upload,
)
from tests.postal.conftest import carrier  # noqa: F401 (the sandbox carrier on the live server)

from .test_dossier_walk import PHONE, write_pdf
from .test_payment_walk import sandbox_bank  # noqa: F401 (the sandbox bank on the live server)

pytestmark = pytest.mark.e2e


def pay_on_the_bank_page(page, amount: str) -> None:
    expect(page).to_have_url(re.compile(r"/sandbox/ngan-hang/paymentv2/vpcpay\.html\?"))
    expect(page.locator("#so-tien")).to_have_text(amount)
    page.get_by_label("Thanh toán thành công").check()
    page.get_by_label("Ngay, trước khi chuyển trình duyệt về").check()
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator(".payment-page__title")).to_have_text("Đã thanh toán")
    page.get_by_role("link", name="Về trang hồ sơ").click()


def decide(dossier, people) -> None:
    """The office's part, through the services: received, processed, approved; the result waits at reception."""
    dossier = dossier_services.dossier_receive(dossier=dossier, officer=people["reception"])
    dossier = dossier_services.dossier_forward(dossier=dossier, officer=people["reception"])
    dossier = dossier_services.dossier_take(dossier=dossier, officer=people["processing"])
    dossier = dossier_services.dossier_propose(
        dossier=dossier, officer=people["processing"], outcome=Outcome.RESULT, result_file=pdf_upload("ket-qua.pdf")
    )
    dossier_services.dossier_approve(dossier=dossier, approver=people["approver"])


def test_the_citizen_chooses_the_post_pays_fee_and_postage_and_follows_the_parcel_to_delivered(
    new_page,
    sandbox_bank,  # noqa: F811
    carrier,  # noqa: F811
    tmp_path,
):
    procedure = ProcedureFactory(
        full_online=True,
        delivers_by_post=True,
        name="Cấp bản sao trích lục hộ tịch",
        fee=8_000,
        fee_timing=FeeTiming.SUBMISSION,
    )
    RequiredDocumentFactory(procedure=procedure, name="Tờ khai cấp bản sao trích lục", accepted_file_types=["pdf"])
    procedure.agency.commune = CommuneFactory(name="Trần Hưng Đạo")
    procedure.agency.save(update_fields=["commune"])
    commune = CommuneFactory(name="Vũ Phúc")
    citizen = UserFactory(citizen=True, full_name="Đỗ Thị Hoa")
    people = {
        "reception": UserFactory(reception_officer=True, agency=procedure.agency),
        "processing": UserFactory(processing_officer=True, agency=procedure.agency),
        "approver": UserFactory(approver=True, agency=procedure.agency),
    }
    page = new_page(citizen, viewport=PHONE)

    # 1. The application: by post, to a structured address; the postage shows once the commune is chosen.
    page.goto(f"/nop-ho-so/{procedure.code}/")
    page.get_by_label("Số điện thoại liên hệ").fill("0912345678")
    page.get_by_label("Địa chỉ liên hệ").fill("Số 12 đường Lý Bôn")
    page.get_by_label("Tờ khai cấp bản sao trích lục").set_input_files(write_pdf(tmp_path, "to-khai.pdf"))
    page.get_by_label("Nhận qua bưu chính công ích").check()
    page.get_by_label("Xã, phường").select_option(label=str(commune))
    expect(page.locator("#cuoc-buu-chinh")).to_contain_text("20.000 đồng")
    page.get_by_label("Số nhà, đường, thôn, tổ").fill("Số 12 đường Lý Bôn")
    page.get_by_label("Điện thoại người nhận").fill("0987 654 321")
    page.get_by_label("Thanh toán trực tuyến trước").check()
    page.get_by_role("button", name="Xem lại").click()
    expect(page.locator("section[aria-labelledby='r-delivery']")).to_contain_text("Số 12 đường Lý Bôn, Phường Vũ Phúc")
    expect(page.locator("section[aria-labelledby='r-delivery']")).to_contain_text("20.000 đồng")

    # 2. Submit and pay the fee on the sandbox bank's page.
    page.locator(".payment-panel").get_by_role("button", name="Nộp hồ sơ và thanh toán").click()
    pay_on_the_bank_page(page, "8.000 VND")

    # 3. The postage, a second payment, the same way from the dossier page.
    postage = page.locator(".postage-panel")
    expect(postage).to_contain_text("Chưa trả cước")
    postage.get_by_role("button", name="Thanh toán cước bưu chính").click()
    pay_on_the_bank_page(page, "20.000 VND")
    expect(page.locator(".postage-panel .postage-status")).to_have_text("Đã trả cước")
    dossier = Dossier.objects.get(applicant=citizen)
    assert dossier.postage_status == PostageStatus.PAID

    # 4. The office decides; reception hands the result to the post; the worker orders the parcel.
    decide(dossier, people)
    reception = new_page(people["reception"])
    reception.goto(f"/can-bo/ho-so/{dossier.pk}/")
    reception.locator(".postal-panel").get_by_role("button", name="Giao kết quả cho bưu điện").click()
    expect(reception.locator(".postal-panel")).to_contain_text("Đang gửi yêu cầu đến bưu điện")
    shipment = postal_services.shipment_send(shipment=Shipment.objects.get(dossier=dossier))
    assert (shipment.receiver_phone, shipment.cod_amount) == ("0987654321", 0)

    # 5. The sandbox carrier delivers it, each step notified to the portal.
    sandbox = new_page()
    sandbox.goto("/sandbox/buu-dien/dieu-khien/")
    for _ in range(4):
        sandbox.locator("tr", has_text=shipment.tracking_number).get_by_role("button", name="Chuyển bước tiếp").click()
    expect(sandbox.locator("tr", has_text=shipment.tracking_number)).to_contain_text("DELIVERED")

    # 6. The citizen's page: delivered, with the carrier's timeline.
    page.goto(f"/ho-so-cua-toi/{dossier.pk}/")
    postal = page.locator(".postal-panel")
    expect(postal.locator(".tag")).to_have_text("Đã giao")
    expect(postal.locator(".shipment-timeline li")).to_have_count(4)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page too wide"

    # 7. The public lookup, at a kiosk: "Đã giao" with the carrier's timeline, nobody's name, address or parcel number.
    kiosk = new_page()
    kiosk.goto("/tra-cuu/")
    kiosk.get_by_role("textbox", name="Mã hồ sơ", exact=True).fill(dossier.code)
    kiosk.get_by_label("4 số cuối CCCD/mã số thuế hoặc số điện thoại").fill(citizen.citizen_id[-4:])
    kiosk.get_by_role("button", name="Tra cứu", exact=True).click()
    parcel = kiosk.locator(".lookup-parcel")
    expect(parcel).to_contain_text("Đã giao")
    expect(parcel.locator(".lookup-timeline__item")).to_have_count(4)
    main = kiosk.locator("main")
    for private in (citizen.full_name, "0987654321", "Vũ Phúc", shipment.tracking_number):
        expect(main).not_to_contain_text(private)
