"""The public verification of electronic results, on its page (the QR code's address, or a PDF uploaded) and in the
API: valid or not, in plain Vietnamese, as pyHanko's validation and the issued result's record say; the dossier's
code and procedure, no other personal data; bad input refused (400 {code, detail} in the API)."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.sign import signers

from dossiers import services
from dossiers.constants import DossierStatus
from dossiers.signing.stamp import SignatureStamp
from tests.factories import dossier_in_status, pdf_bytes, pdf_upload

S = DossierStatus
pytestmark = pytest.mark.django_db
VERIFY = reverse("dossiers:result-verify")
API_VERIFY = "/api/v1/results/verify/"


@pytest.fixture
def issued():
    dossier, officers = dossier_in_status(S.RESULT_READY)
    result = dossier.results.get()
    with result.signed_file.open("rb") as handle:
        return dossier, officers, result, handle.read()


def upload(data: bytes, name: str = "ket-qua.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def one_byte_changed(data: bytes) -> bytes:
    """The signed PDF with one byte changed inside the signed range (a letter of its producer's name)."""
    at = data.index(b"/Producer (") + len(b"/Producer (")
    return data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :]


def findings(response) -> dict[str, bool]:
    return {finding.code: finding.ok for finding in response.context["verification"].findings}


def signed_by_a_stranger() -> bytes:
    """A PDF signed with a key and certificate the portal does not trust (a self-signed one)."""
    from dossiers.signing.base import PyHankoSigner

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Cơ quan giả mạo")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(b"x", key, certificate, None, serialization.NoEncryption())

    class StrangerSigner(PyHankoSigner):
        def pyhanko_signer(self, agency):
            return signers.SimpleSigner.load_pkcs12_data(data, other_certs=[])

    stamp = SignatureStamp(agency_name="Giả", signer_name="Giả", signed_at=now, verification_url="http://x/")
    return StrangerSigner().sign(pdf=pdf_bytes(), agency=None, field_name="KQ-giả", stamp=stamp).pdf


# --- the page ---------------------------------------------------------------------------------------------


def test_the_qr_codes_address_says_the_result_is_valid_with_no_personal_data(client, issued):
    dossier, _officers, result, _data = issued

    response = client.get(reverse("dossiers:result-verify-code", args=[result.verification_code]))

    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["verification"].valid
    assert "Văn bản hợp lệ: đúng kết quả do" in body and dossier.agency.name in body
    assert dossier.code in body and dossier.procedure.name in body
    assert dossier.applicant_name not in body and dossier.applicant_id_number not in body


def test_an_unknown_code_is_404(client):
    assert (
        client.get(reverse("dossiers:result-verify-code", args=["0" * 8 + "-0000-0000-0000-" + "0" * 12])).status_code
        == 404
    )


def test_the_issued_file_uploaded_is_valid(client, issued):
    _dossier, _officers, _result, data = issued

    response = client.post(VERIFY, {"file": upload(data)})

    assert response.status_code == 200
    assert response.context["verification"].valid
    assert findings(response) == {"intact": True, "trusted": True, "exact": True, "in_force": True}


def test_a_copy_with_one_byte_changed_is_not(client, issued):
    dossier, _officers, _result, data = issued

    response = client.post(VERIFY, {"file": upload(one_byte_changed(data))})

    body = response.content.decode()
    assert not response.context["verification"].valid
    assert findings(response)["altered"] is False and findings(response)["not_exact"] is False
    assert "Nội dung văn bản đã bị thay đổi sau khi ký" in body
    assert dossier.code in body  # recognised as that result's altered copy, by its signature's name


def test_a_pdf_signed_with_an_unknown_certificate_is_not_trusted(client, issued):
    response = client.post(VERIFY, {"file": upload(signed_by_a_stranger())})

    assert not response.context["verification"].valid
    assert findings(response)["untrusted"] is False
    assert findings(response)["not_issued"] is False
    assert "không được Cổng tin cậy" in response.content.decode()


def test_an_unsigned_pdf_says_so(client):
    response = client.post(VERIFY, {"file": upload(pdf_bytes())})

    assert response.context["verification"].headline == "Văn bản không có chữ ký số."


def test_a_revoked_result_says_when_and_why(client, issued):
    dossier, officers, result, data = issued
    services.dossier_revoke_result(dossier=dossier, approver=officers["approver"], reason="Cấp nhầm người")

    by_file = client.post(VERIFY, {"file": upload(data)})
    by_code = client.get(reverse("dossiers:result-verify-code", args=[result.verification_code]))

    for response in (by_file, by_code):
        assert not response.context["verification"].valid
        assert findings(response)["revoked"] is False
        assert "đã bị thu hồi" in response.content.decode() and "Cấp nhầm người" in response.content.decode()


def test_a_replaced_result_says_so(client, issued):
    dossier, officers, _result, data = issued
    services.dossier_replace_result(
        dossier=dossier, approver=officers["approver"], result_file=pdf_upload(), reason="Sai ngày sinh"
    )

    response = client.post(VERIFY, {"file": upload(data)})

    assert findings(response)["replaced"] is False
    assert "đã được thay thế" in response.content.decode()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100), "không phải văn bản PDF"),
        (SimpleUploadedFile("rong.pdf", b""), "Hãy chọn tệp PDF cần xác thực."),
    ],
)
def test_a_non_pdf_or_empty_file_is_refused_in_plain_words(client, file, message):
    response = client.post(VERIFY, {"file": file})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["verification"] is None


def test_a_huge_file_is_refused(client, settings):
    settings.RESULT_VERIFY_MAX_BYTES = 1024

    response = client.post(VERIFY, {"file": upload(pdf_bytes() + b"%" + b"0" * 2000)})

    assert response.status_code == 400
    assert "Tệp lớn hơn 0 MB" in response.content.decode() or "lớn hơn" in response.content.decode()


def test_too_many_checks_in_a_minute_are_refused(client, settings):
    settings.RESULT_VERIFY_RATE_LIMIT = 1
    assert client.post(VERIFY, {"file": upload(pdf_bytes())}).status_code == 200

    response = client.post(VERIFY, {"file": upload(pdf_bytes())})

    assert response.status_code == 429 and response["Retry-After"] == "60"


# --- the API ----------------------------------------------------------------------------------------------


def test_the_api_verifies_an_upload_and_a_code(api_client, issued):
    dossier, _officers, result, data = issued

    by_file = api_client.post(API_VERIFY, {"file": upload(data)}, format="multipart")
    altered = api_client.post(API_VERIFY, {"file": upload(one_byte_changed(data))}, format="multipart")
    by_code = api_client.get(f"/api/v1/results/{result.verification_code}/")

    assert by_file.status_code == by_code.status_code == 200
    for answer in (by_file.json(), by_code.json()):
        assert answer["valid"] is True
        assert answer["result"]["dossier_code"] == dossier.code
        assert answer["result"]["procedure"] == dossier.procedure.name
        assert dossier.applicant_name not in json.dumps(answer, ensure_ascii=False)
    assert altered.json()["valid"] is False
    assert {f["code"]: f["ok"] for f in altered.json()["findings"]}["altered"] is False


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"file": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100)}, "not_a_pdf"),
        ({}, "invalid"),
    ],
)
def test_the_api_answers_bad_input_400_with_a_code(api_client, data, code):
    response = api_client.post(API_VERIFY, data, format="multipart")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code or code in json.dumps(body)


def test_the_api_gives_404_for_an_unknown_code(api_client):
    response = api_client.get("/api/v1/results/00000000-0000-0000-0000-000000000000/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_dossier_detail_lists_the_signed_result_for_its_applicant(api_client, issued):
    dossier, _officers, result, _data = issued
    api_client.force_authenticate(dossier.applicant)

    detail = api_client.get(f"/api/v1/dossiers/{dossier.code}/").json()

    assert [(r["id"], r["status"], r["sha256"]) for r in detail["results"]] == [(result.pk, "issued", result.sha256)]
    assert detail["results"][0]["download_url"].endswith(
        reverse("dossiers:result-download", args=[dossier.pk, result.pk])
    )
