"""Writes of electronic results: the specialist's proposed source PDF, the agency's signature at approval (the signer
of `settings.RESULT_SIGNER`, dossiers/signing), the hand-back online, and the approver's revocation or replacement of
an issued result. An issued result is never changed: its row and signed file stay, a newer one replaces it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from procedures.constants import FileType

from ..constants import Action, DeliveryMethod, DossierStatus, ResultStatus
from ..error_codes import ErrorCode
from ..models import Dossier, IssuedResult
from ..signing.base import SigningRefused, check_signable
from ..signing.registry import result_signer
from ..signing.stamp import SignatureStamp
from ..uploads import check_upload
from ..workflow import TransitionNotAllowed, fee_holds_delivery
from .core import Change, delete_file_on_commit, notify_applicant, remember_written_file, transition, write_change

RESULT_FILE_TYPES = [FileType.PDF]


def verification_url(result: IssuedResult) -> str:
    """The public verification page of `result`, as its QR code opens it."""
    path = reverse("dossiers:result-verify-code", args=[result.verification_code])
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def signature_field_name(result: IssuedResult) -> str:
    """The name of the signature in the PDF: the verification page finds the issued result by it."""
    return f"KQ-{result.verification_code}"


def _new_source(*, dossier: Dossier, officer, result_file, status: str) -> IssuedResult:
    """A result row with its unsigned source: a PDF (type from the content, size), that pyHanko can read."""
    upload = check_upload(result_file, accepted_types=RESULT_FILE_TYPES, label=_("Văn bản kết quả giải quyết"))
    upload.file.seek(0)
    try:
        check_signable(upload.file.read())
    except SigningRefused as refusal:
        raise ValidationError(refusal.message, code=refusal.code) from None
    upload.file.seek(0)
    result = IssuedResult(
        dossier=dossier,
        status=status,
        source_name=upload.name[:255],
        source_sha256=upload.sha256,
        proposed_by=officer,
    )
    result.source_file.save(f"{upload.sha256[:16]}.pdf", upload.file, save=False)
    remember_written_file(result.source_file.name)
    result.save()
    return result


def result_propose(*, dossier: Dossier, officer, result_file) -> IssuedResult:
    """The specialist's result document, awaiting the approver's signature; it replaces an earlier proposal, whose
    file goes once this commits. The caller holds the dossier's lock (dossier_propose)."""
    for previous in dossier.results.filter(status=ResultStatus.PROPOSED):
        delete_file_on_commit(previous.source_file.storage, previous.source_file.name)
        previous.delete()
    return _new_source(dossier=dossier, officer=officer, result_file=result_file, status=ResultStatus.PROPOSED)


def _sign(result: IssuedResult, *, approver) -> IssuedResult:
    """Sign `result` in its agency's name and keep the signed PDF and its hash; a refusal of the signer (no key, an
    expired certificate) refuses the transition that asked, and nothing of it is kept."""
    dossier = result.dossier
    now = timezone.now()
    stamp = SignatureStamp(
        agency_name=dossier.agency.name,
        signer_name=approver.full_name,
        signed_at=now,
        verification_url=verification_url(result),
    )
    with result.source_file.open("rb") as source:
        pdf = source.read()
    try:
        signed = result_signer().sign(
            pdf=pdf, agency=dossier.agency, field_name=signature_field_name(result), stamp=stamp
        )
    except SigningRefused as refusal:
        raise TransitionNotAllowed(refusal.message, refusal.code) from refusal
    result.signed_file.save(f"{signed.sha256[:16]}.pdf", ContentFile(signed.pdf), save=False)
    remember_written_file(result.signed_file.name)
    result.status = ResultStatus.ISSUED
    result.sha256 = signed.sha256
    result.size = len(signed.pdf)
    result.issued_at = now
    result.issued_by = approver
    result.signer_name = approver.full_name
    result.certificate_subject = signed.certificate_subject[:500]
    result.certificate_serial = signed.certificate_serial[:100]
    result.save()
    return result


def result_issue(*, dossier: Dossier, approver) -> IssuedResult:
    """Sign the proposed result at approval (the caller holds the dossier's lock: dossier_approve)."""
    result = dossier.results.select_for_update().filter(status=ResultStatus.PROPOSED).first()
    if result is None:
        raise TransitionNotAllowed(
            _("Hồ sơ chưa có văn bản kết quả để ký. Hãy trả lại để chuyên viên trình kèm văn bản kết quả."),
            ErrorCode.RESULT_NOT_SIGNABLE,
        )
    return _sign(result, approver=approver)


def _result_facts(result: IssuedResult) -> dict:
    return {"result_id": result.pk, "verification_code": str(result.verification_code), "sha256": result.sha256}


def returns_online(dossier: Dossier) -> bool:
    """An electronic result chosen for delivery is returned as soon as it is signed, unless the fee is still due."""
    return dossier.delivery_method == DeliveryMethod.ONLINE and not fee_holds_delivery(dossier)


def result_hand_back_online(*, dossier: Dossier, approver, result: IssuedResult) -> Dossier:
    """The hand-back of an electronic result: the signed PDF is on the applicant's page, the dossier is returned and
    the applicant is told. The caller has just approved, in the same transaction, under the dossier's lock."""
    change = Change(
        dossier=dossier,
        action=Action.DELIVER,
        from_status=dossier.status,
        to_status=DossierStatus.RETURNED,
        note=_("Kết quả điện tử đã ký số được trả trực tuyến trên trang hồ sơ của người nộp."),
    )
    change.update(returned_at=timezone.now())
    change.facts = {"online": True, **_result_facts(result)}
    write_change(change, user=approver)
    notify_applicant(
        dossier,
        subject=gettext_lazy("Hồ sơ %(code)s: đã trả kết quả điện tử"),
        body=gettext_lazy(
            "Kết quả giải quyết đã được %(agency)s ký số. Bạn tải kết quả tại trang hồ sơ trên Cổng Dịch vụ công; "
            "kết quả cũng được lưu trong Kho dữ liệu của bạn."
        ),
        params={"agency": dossier.agency.name},
    )
    return dossier


def _current_issued(dossier: Dossier) -> IssuedResult | None:
    return dossier.results.select_for_update().filter(status=ResultStatus.ISSUED).first()


def _reason(reason: str, *, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(message)
    return reason


def dossier_revoke_result(*, dossier: Dossier, approver, reason: str) -> Dossier:
    """Revoke the issued result: it stays on record, and the verification page says it is revoked, when and why."""
    reason = _reason(reason, message=_("Hãy nêu lý do thu hồi kết quả."))
    with transition(dossier=dossier, user=approver, action=Action.REVOKE_RESULT, note=reason) as change:
        result = _current_issued(change.dossier)
        if result is None:
            raise TransitionNotAllowed(
                _("Hồ sơ không có kết quả điện tử đang có hiệu lực để thu hồi."), ErrorCode.NO_ISSUED_RESULT
            )
        result.status = ResultStatus.REVOKED
        result.ended_at, result.ended_by, result.end_reason = timezone.now(), approver, reason
        result.save(update_fields=["status", "ended_at", "ended_by", "end_reason", "updated_at"])
        change.facts = _result_facts(result)
        notify_applicant(
            change.dossier,
            subject=gettext_lazy("Hồ sơ %(code)s: kết quả điện tử đã bị thu hồi"),
            body=gettext_lazy("Lý do: %(reason)s"),
            params={"reason": reason},
        )
    return change.dossier


def dossier_replace_result(*, dossier: Dossier, approver, result_file, reason: str) -> Dossier:
    """Issue a new signed result in place of the one in force (which stays on record as replaced, pointing to the new
    one); for a dossier approved before results were signed, the first signed result."""
    reason = _reason(reason, message=_("Hãy nêu lý do thay thế kết quả."))
    if result_file is None:
        raise ValidationError(_("Hãy tải lên văn bản kết quả mới."))
    with transition(dossier=dossier, user=approver, action=Action.REPLACE_RESULT, note=reason) as change:
        d = change.dossier
        old = _current_issued(d)
        if old is not None:
            old.status = ResultStatus.REPLACED
            old.ended_at, old.ended_by, old.end_reason = timezone.now(), approver, reason
            old.save(update_fields=["status", "ended_at", "ended_by", "end_reason", "updated_at"])
        for unsigned in d.results.filter(status=ResultStatus.PROPOSED):  # left from before signing existed
            delete_file_on_commit(unsigned.source_file.storage, unsigned.source_file.name)
            unsigned.delete()
        new = _sign(
            _new_source(dossier=d, officer=approver, result_file=result_file, status=ResultStatus.PROPOSED),
            approver=approver,
        )
        if old is not None:
            old.replaced_by = new
            old.save(update_fields=["replaced_by", "updated_at"])
        change.facts = {**_result_facts(new), "replaced_result_id": old.pk if old else None}
        notify_applicant(
            d,
            subject=gettext_lazy("Hồ sơ %(code)s: kết quả điện tử mới thay thế kết quả cũ"),
            body=gettext_lazy("Lý do: %(reason)s. Kết quả mới có trên trang hồ sơ của bạn."),
            params={"reason": reason},
        )
    return change.dossier
