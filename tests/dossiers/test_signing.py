"""Signing at approval: the result is issued as a PDF the agency signed (PAdES, checked here by pyHanko's own
validation), with its SHA-256 kept, never changed, only revoked or replaced; an unusable certificate refuses the
approval and leaves nothing half-issued; production refuses the demo signer and root."""

import asyncio
import hashlib
from datetime import UTC, datetime
from io import BytesIO

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import SigSeedSubFilter

from dossiers import services
from dossiers.constants import Action, DeliveryMethod, DossierStatus, ResultStatus
from dossiers.error_codes import ErrorCode
from dossiers.models import IssuedResult, SigningCredential
from dossiers.signing.demo import demo_directory, demo_root, issue_agency_certificate
from dossiers.signing.verify import check_pdf_signature
from dossiers.workflow import TransitionNotAllowed
from portal.models import OutboxMessage
from tests.factories import ProcedureFactory, dossier_in_status, pdf_upload
from tests.portal.test_settings import production_settings

S = DossierStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def signed_bytes(result: IssuedResult) -> bytes:
    with result.signed_file.open("rb") as handle:
        return handle.read()


def test_approval_issues_the_result_signed_by_the_agency():
    # Given a proposed result awaiting approval
    dossier, officers = dossier_in_status(S.AWAITING_APPROVAL)
    approver = officers["approver"]

    # When the approver approves
    dossier = services.dossier_approve(dossier=dossier, approver=approver)

    # Then the result is issued, signed, its hash kept, and pyHanko says the signature holds against the demo root
    result = dossier.results.get()
    data = signed_bytes(result)
    assert (dossier.status, result.status) == (S.RESULT_READY, ResultStatus.ISSUED)
    assert result.sha256 == hashlib.sha256(data).hexdigest() and result.size == len(data)
    assert (result.issued_by, result.signer_name) == (approver, approver.full_name)
    assert dossier.agency.name[:20] in result.certificate_subject
    check = check_pdf_signature(data)
    assert check.ok, check
    assert check.field_name == f"KQ-{result.verification_code}"
    # a PAdES signature (ETSI.CAdES.detached) whose appearance is on the last page
    signature = PdfFileReader(BytesIO(data)).embedded_signatures[0]
    assert signature.sig_object["/SubFilter"] == SigSeedSubFilter.PADES.value
    assert "/AP" in signature.sig_field
    # and the approval's event names the result
    event = dossier.events.get(action=Action.APPROVE)
    assert event.extra_data["sha256"] == result.sha256


def test_signing_and_checking_work_in_a_thread_whose_event_loop_runs(monkeypatch):
    # Given a thread with a running event loop (an ASGI server; a Playwright session earlier in the same test
    # process), where pyHanko's blocking wrappers would refuse to start one of their own
    from dossiers.signing.registry import result_signer
    from dossiers.signing.stamp import SignatureStamp

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    agency = ProcedureFactory().agency
    pdf = pdf_upload().read()
    stamp = SignatureStamp(
        agency_name=agency.name,
        signer_name="Nguyễn Văn An",
        signed_at=datetime.now(UTC),
        verification_url="http://127.0.0.1:8000/xac-thuc-ket-qua/abc/",
    )

    async def sign_and_check():
        signed = result_signer().sign(pdf=pdf, agency=agency, field_name="KQ-abc", stamp=stamp)
        return check_pdf_signature(signed.pdf)

    # When a result is signed and checked there
    check = asyncio.run(sign_and_check())

    # Then the signature holds
    assert check.ok, check


def test_the_stamp_says_who_signed_when_and_where_to_verify():
    from dossiers.signing.stamp import SignatureStamp

    stamp = SignatureStamp(
        agency_name="Sở Công Thương",
        signer_name="Nguyễn Văn An",
        signed_at=datetime(2026, 12, 1, 2, 30, tzinfo=UTC),
        verification_url="http://127.0.0.1:8000/xac-thuc-ket-qua/abc/",
    )

    assert stamp.lines()[:3] == [
        "Ký số bởi: Sở Công Thương",
        "Người ký: Nguyễn Văn An",
        "Thời gian ký: 09:30:00 01/12/2026",
    ]


def test_an_expired_agency_certificate_refuses_the_approval_and_issues_nothing(media_root):
    # Given the agency's certificate expired yesterday (configured by the administrator)
    dossier, officers = dossier_in_status(S.AWAITING_APPROVAL)
    expired = issue_agency_certificate(
        dossier.agency,
        path=demo_directory() / "expired" / f"{dossier.agency.code}.p12",
        not_before=datetime(2024, 1, 1, tzinfo=UTC),
        not_after=datetime(2025, 1, 1, tzinfo=UTC),
    )
    SigningCredential.objects.create(agency=dossier.agency, pkcs12_path=str(expired), password="demo-only")
    outbox_before = OutboxMessage.objects.count()
    files_before = sorted(p.name for p in media_root.rglob("*") if p.is_file())

    # When the approver approves, Then it is refused with a clear message
    with pytest.raises(TransitionNotAllowed, match="Chứng thư số ký kết quả của cơ quan đã hết hạn từ 01/01/2025") as e:
        services.dossier_approve(dossier=dossier, approver=officers["approver"])
    assert e.value.code == ErrorCode.SIGNING_CERTIFICATE_EXPIRED

    # and nothing is half-issued: the dossier still waits, the draft unsigned, no event, message or signed file
    dossier.refresh_from_db()
    result = dossier.results.get()
    assert dossier.status == S.AWAITING_APPROVAL
    assert (result.status, result.sha256, result.signed_file.name) == (ResultStatus.PROPOSED, "", "")
    assert not dossier.events.filter(action=Action.APPROVE).exists()
    assert OutboxMessage.objects.count() == outbox_before
    assert sorted(p.name for p in media_root.rglob("*") if p.is_file()) == files_before


def test_a_wrong_password_or_missing_file_refuses_the_approval():
    dossier, officers = dossier_in_status(S.AWAITING_APPROVAL)
    path = issue_agency_certificate(dossier.agency, path=demo_directory() / "other" / "agency.p12")
    credential = SigningCredential.objects.create(agency=dossier.agency, pkcs12_path=str(path), password="sai")

    with pytest.raises(TransitionNotAllowed, match="không mở được") as wrong:
        services.dossier_approve(dossier=dossier, approver=officers["approver"])
    credential.pkcs12_path = str(path.with_name("khong-co.p12"))
    credential.save()
    with pytest.raises(TransitionNotAllowed, match="Không đọc được tệp chứng thư số") as missing:
        services.dossier_approve(dossier=dossier, approver=officers["approver"])

    assert wrong.value.code == missing.value.code == ErrorCode.SIGNING_UNAVAILABLE
    dossier.refresh_from_db()
    assert dossier.status == S.AWAITING_APPROVAL


def test_an_electronic_result_is_returned_online_at_approval_and_the_applicant_told():
    procedure = ProcedureFactory(full_online=True, delivers_at_counter=False)
    dossier, officers = dossier_in_status(S.AWAITING_APPROVAL, procedure=procedure)
    assert dossier.delivery_method == DeliveryMethod.ONLINE

    dossier = services.dossier_approve(dossier=dossier, approver=officers["approver"])

    assert dossier.status == S.RETURNED and dossier.returned_at is not None
    delivered = dossier.events.get(action=Action.DELIVER)
    assert (delivered.from_status, delivered.actor, delivered.extra_data["online"]) == (
        S.RESULT_READY,
        officers["approver"],
        True,
    )
    assert delivered.extra_data["sha256"] == dossier.results.get().sha256
    subjects = list(OutboxMessage.objects.filter(channel=OutboxMessage.Channel.EMAIL).values_list("subject", flat=True))
    assert f"Hồ sơ {dossier.code}: đã trả kết quả điện tử" in subjects
    assert f"Hồ sơ {dossier.code} đã có kết quả" not in subjects  # one message, not two


def test_a_counter_result_waits_for_the_desk_with_its_electronic_copy():
    dossier, officers = dossier_in_status(S.AWAITING_APPROVAL)  # delivered at the counter

    dossier = services.dossier_approve(dossier=dossier, approver=officers["approver"])

    assert dossier.status == S.RESULT_READY
    assert dossier.results.get().status == ResultStatus.ISSUED
    dossier = services.dossier_deliver(dossier=dossier, officer=officers["reception"])
    assert dossier.status == S.RETURNED


def test_revoking_keeps_the_result_on_record_with_its_reason():
    dossier, officers = dossier_in_status(S.RESULT_READY)
    result = dossier.results.get()
    data = signed_bytes(result)

    services.dossier_revoke_result(dossier=dossier, approver=officers["approver"], reason="Cấp nhầm người")

    result.refresh_from_db()
    assert (result.status, result.end_reason, result.ended_by) == (
        ResultStatus.REVOKED,
        "Cấp nhầm người",
        officers["approver"],
    )
    assert signed_bytes(result) == data  # never changed
    event = dossier.events.get(action=Action.REVOKE_RESULT)
    assert (event.note, event.extra_data["result_id"]) == ("Cấp nhầm người", result.pk)
    # Revoking again: nothing in force to revoke
    with pytest.raises(TransitionNotAllowed) as again:
        services.dossier_revoke_result(dossier=dossier, approver=officers["approver"], reason="Lần nữa")
    assert again.value.code == ErrorCode.NO_ISSUED_RESULT


def test_replacing_signs_a_new_result_and_points_the_old_one_to_it():
    dossier, officers = dossier_in_status(S.RETURNED)
    old = dossier.results.get()

    services.dossier_replace_result(
        dossier=dossier,
        approver=officers["approver"],
        result_file=pdf_upload("moi.pdf", text="Ket qua moi"),
        reason="Sai ngày sinh",
    )

    old.refresh_from_db()
    new = dossier.results.get(status=ResultStatus.ISSUED)
    assert (old.status, old.replaced_by, old.end_reason) == (ResultStatus.REPLACED, new, "Sai ngày sinh")
    assert new.sha256 != old.sha256 and check_pdf_signature(signed_bytes(new)).ok
    assert dossier.events.filter(action=Action.REPLACE_RESULT).count() == 1
    dossier.refresh_from_db()
    assert dossier.status == S.RETURNED


def test_two_replacements_one_after_the_other_each_replace_the_result_then_in_force():
    dossier, officers = dossier_in_status(S.RESULT_READY)
    for reason in ("Lần một", "Lần hai"):
        services.dossier_replace_result(
            dossier=dossier, approver=officers["approver"], result_file=pdf_upload(), reason=reason
        )

    first, second, third = dossier.results.order_by("created_at", "id")
    assert [r.status for r in (first, second, third)] == [ResultStatus.REPLACED, ResultStatus.REPLACED, "issued"]
    assert (first.replaced_by, second.replaced_by) == (second, third)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"reason": " "}, "Hãy nêu lý do thay thế kết quả."),
        ({"result_file": None}, "Hãy tải lên văn bản kết quả mới."),
    ],
)
def test_a_replacement_needs_a_reason_and_a_file(kwargs, message):
    dossier, officers = dossier_in_status(S.RESULT_READY)
    arguments = {"reason": "Sai tên", "result_file": pdf_upload(), **kwargs}

    with pytest.raises(ValidationError, match=message):
        services.dossier_replace_result(dossier=dossier, approver=officers["approver"], **arguments)

    assert dossier.results.get().status == ResultStatus.ISSUED


def test_a_result_that_is_not_a_readable_pdf_is_refused_at_proposal():
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier, officers = dossier_in_status(S.PROCESSING)
    dossier = services.dossier_take(dossier=dossier, officer=officers["processing"])
    broken = SimpleUploadedFile("kq.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    with pytest.raises(ValidationError, match="không đọc được như một tệp PDF"):
        services.dossier_propose(dossier=dossier, officer=officers["processing"], outcome="result", result_file=broken)

    assert not dossier.results.exists()


def test_the_approver_of_another_agency_cannot_revoke():
    dossier, _officers = dossier_in_status(S.RESULT_READY)
    stranger = dossier_in_status(S.SUBMITTED)[1]["approver"]

    with pytest.raises(TransitionNotAllowed) as refused:
        services.dossier_revoke_result(dossier=dossier, approver=stranger, reason="Không phải việc của tôi")

    assert refused.value.code == ErrorCode.NOT_PERMITTED
    assert dossier.results.get().status == ResultStatus.ISSUED


# --- production ---------------------------------------------------------------------------------------


def test_production_refuses_the_demo_signer():
    with pytest.raises(ImproperlyConfigured, match="RESULT_SIGNER is the demo signer"):
        production_settings(RESULT_SIGNER="dossiers.signing.demo.DemoSigner")


def test_production_refuses_the_demo_root_and_an_unreadable_root(tmp_path):
    demo_root()  # made on first use
    with pytest.raises(ImproperlyConfigured, match="is the demo root"):
        production_settings(RESULT_SIGNING_TRUST_ROOTS=str(demo_directory() / "demo-root.pem"))
    with pytest.raises(ImproperlyConfigured, match="cannot read"):
        production_settings(RESULT_SIGNING_TRUST_ROOTS=str(tmp_path / "missing.pem"))


def test_production_accepts_another_root(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Root CA of the province")])
    root = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(datetime(2026, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2036, 1, 1, tzinfo=UTC))
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / "root.der"
    path.write_bytes(root.public_bytes(serialization.Encoding.DER))

    assert production_settings(RESULT_SIGNING_TRUST_ROOTS=str(path)).RESULT_SIGNING_TRUST_ROOTS == [str(path)]


# --- the administrator's credential ---------------------------------------------------------------------


def test_a_system_administrator_sets_an_agencys_credential_and_the_password_is_never_shown(client):
    from tests.factories import AgencyFactory, UserFactory

    agency = AgencyFactory()
    client.force_login(UserFactory(superuser=True))
    add = reverse("admin:dossiers_signingcredential_add")

    response = client.post(add, {"agency": agency.pk, "pkcs12_path": "/etc/portal/ky-so.p12", "password": "bi-mat"})

    credential = SigningCredential.objects.get(agency=agency)
    assert response.status_code == 302 and credential.password == "bi-mat"
    change = client.get(reverse("admin:dossiers_signingcredential_change", args=[credential.pk]))
    assert "bi-mat" not in change.content.decode()
    # Saved again without typing it: the password stays
    client.post(
        reverse("admin:dossiers_signingcredential_change", args=[credential.pk]),
        {"agency": agency.pk, "pkcs12_path": "/etc/portal/moi.p12", "password": ""},
    )
    credential.refresh_from_db()
    assert (credential.pkcs12_path, credential.password) == ("/etc/portal/moi.p12", "bi-mat")


def test_an_agency_administrator_cannot_open_the_credentials(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(agency_admin=True, is_staff=True))

    assert client.get(reverse("admin:dossiers_signingcredential_changelist")).status_code == 403
