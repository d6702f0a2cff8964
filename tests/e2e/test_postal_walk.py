"""A result sent by post, walked in a real browser (Debian's Chromium through Playwright): the approver approves in
the browser, the reception officer hands the ready result to the post from the officer dossier page, the worker
orders it from the sandbox carrier, the carrier's own control page moves the parcel along (each step notified to the
portal, signed), and the applicant's dossier page shows the tracking number, "Đã giao" and the carrier's timeline."""

import pytest
from playwright.sync_api import expect

from dossiers.constants import DeliveryMethod, DossierStatus
from dossiers.models import Dossier
from postal import services
from postal.models import Shipment
from tests.factories import ProcedureFactory, dossier_in_status
from tests.postal.conftest import ADDRESS, carrier  # noqa: F401 (the sandbox carrier on the live server)

pytestmark = pytest.mark.e2e


def test_reception_hands_the_result_to_the_post_and_the_applicant_follows_it(new_page, carrier):  # noqa: F811
    procedure = ProcedureFactory(delivers_at_counter=True, delivers_by_post=True)
    dossier, officers = dossier_in_status(DossierStatus.AWAITING_APPROVAL, procedure=procedure)
    Dossier.objects.filter(pk=dossier.pk).update(delivery_method=DeliveryMethod.POSTAL, delivery_address=ADDRESS)
    dossier.refresh_from_db()
    approver = new_page(officers["approver"])
    approver.goto(f"/can-bo/ho-so/{dossier.pk}/")
    form = approver.locator("form.action-form--approve")
    if form.locator("details").get_attribute("open") is None:
        form.locator("summary").click()
    form.get_by_role("button", name="Phê duyệt", exact=True).click()
    expect(approver.locator(".messages")).to_contain_text(f"Đã phê duyệt hồ sơ {dossier.code}.")

    reception = new_page(officers["reception"])

    reception.goto(f"/can-bo/ho-so/{dossier.pk}/")
    panel = reception.locator(".postal-panel")
    expect(panel).to_contain_text(dossier.delivery_address)
    panel.get_by_role("button", name="Giao kết quả cho bưu điện").click()
    expect(reception.locator(".postal-panel")).to_contain_text("Đang gửi yêu cầu đến bưu điện")

    shipment = services.shipment_send(shipment=Shipment.objects.get(dossier=dossier))  # the worker's turn
    reception.reload()
    expect(reception.locator(".postal-panel")).to_contain_text(shipment.tracking_number)

    sandbox = new_page()
    sandbox.goto("/sandbox/buu-dien/dieu-khien/")
    for _ in range(4):
        row = sandbox.locator("tr", has_text=shipment.tracking_number)
        row.get_by_role("button", name="Chuyển bước tiếp").click()
    expect(sandbox.locator("tr", has_text=shipment.tracking_number)).to_contain_text("DELIVERED")

    applicant = new_page(dossier.applicant)
    applicant.goto(f"/ho-so-cua-toi/{dossier.pk}/")
    postal = applicant.locator(".postal-panel")
    expect(postal).to_contain_text(shipment.tracking_number)
    expect(postal.locator(".tag")).to_have_text("Đã giao")
    expect(postal.locator(".shipment-timeline li")).to_have_count(4)
