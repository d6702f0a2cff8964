"""An electronic result in a real browser: the approver approves → the citizen downloads the signed result from its
dossier page → the verification page opened at the QR code's address says it is valid; a copy with one byte changed,
uploaded there, says it is not; then the citizen applies again, taking the result from its document wallet."""

import hashlib
import re
from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pyhanko.pdf_utils.reader import PdfFileReader

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from tests.factories import ProcedureFactory, RequiredDocumentFactory, UserFactory, dossier_in_status

pytestmark = pytest.mark.e2e
S = DossierStatus


def qr_address(pdf: bytes) -> str:
    """The verification address the stamp's QR code holds, as the signature carries it too."""
    signature = PdfFileReader(BytesIO(pdf)).embedded_signatures[0]
    return str(signature.sig_object["/ContactInfo"])


def test_approve_download_verify_and_reuse_from_the_wallet(new_page, live_server, settings, tmp_path):
    settings.PORTAL_BASE_URL = live_server.url  # the QR code's address points at this server
    citizen = UserFactory(citizen=True)
    procedure = ProcedureFactory(full_online=True, delivers_at_counter=False, accepts_online=True)
    RequiredDocumentFactory(procedure=procedure, name="Đơn đề nghị", accepted_file_types=["pdf"])
    dossier, officers = dossier_in_status(S.AWAITING_APPROVAL, procedure=procedure, applicant=citizen)

    # The approver approves: the result is signed and, chosen online, returned at once
    approver = new_page(officers["approver"])
    approver.goto(f"/can-bo/ho-so/{dossier.pk}/")
    form = approver.locator("form.action-form--approve")
    if form.locator("details").get_attribute("open") is None:
        form.locator("summary").click()
    form.get_by_role("button", name="Phê duyệt", exact=True).click()
    expect(approver.locator(".messages")).to_contain_text(f"Đã phê duyệt hồ sơ {dossier.code}.")
    result = dossier.results.get()

    # The citizen downloads the signed result from its dossier page
    page = new_page(citizen)
    page.goto(f"/ho-so-cua-toi/{dossier.pk}/")
    expect(page.locator(".status")).to_have_text("Đã trả kết quả")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải kết quả điện tử đã ký số").click()
    signed = Path(download.value.path()).read_bytes()
    assert hashlib.sha256(signed).hexdigest() == result.sha256

    # Anyone opening the QR code's address reads that it is valid
    public = new_page()
    address = qr_address(signed)
    assert address.startswith(live_server.url) and str(result.verification_code) in address
    public.goto(address)
    expect(public.locator(".verdict__title")).to_have_text("Hợp lệ")
    expect(public.locator(".verdict")).to_contain_text(dossier.code)

    # A copy with one byte changed, uploaded there, is not
    at = signed.index(b"/Producer (") + len(b"/Producer (")
    altered = tmp_path / "ket-qua-da-sua.pdf"
    altered.write_bytes(signed[:at] + bytes([signed[at] ^ 0x20]) + signed[at + 1 :])
    public.get_by_label("Tệp kết quả (PDF)").set_input_files(str(altered))
    public.get_by_role("button", name="Xác thực").click()
    expect(public.locator(".verdict__title")).to_have_text("Không hợp lệ")
    expect(public.locator(".verdict")).to_contain_text("Nội dung văn bản đã bị thay đổi sau khi ký")

    # The citizen applies for another procedure, taking the result from its wallet instead of uploading
    second = ProcedureFactory(accepts_online=True)
    RequiredDocumentFactory(procedure=second, name="Giấy phép đã được cấp", accepted_file_types=["pdf"])
    page.goto("/kho-du-lieu/")
    expect(page.locator(".wallet-page")).to_contain_text(f"Kết quả {dossier.code}.pdf")
    page.goto(f"/nop-ho-so/{second.code}/?moi=1")
    page.get_by_label("Số điện thoại liên hệ").fill("0912345678")
    page.get_by_label("Địa chỉ liên hệ").fill("12 Lê Lợi, Huế")
    page.get_by_label(re.compile(rf"Kết quả {re.escape(dossier.code)}\.pdf")).check()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã nộp hồ sơ")
    reused = Dossier.objects.get(procedure=second, applicant=citizen).documents.get()
    assert reused.reused_result == result and reused.sha256 == result.sha256
