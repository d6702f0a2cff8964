"""Writes of the applicant: drafts, documents, submission, supplement, withdrawal."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.models import Procedure, RequiredDocument

from ..constants import (
    Action,
    Channel,
    DeliveryMethod,
    DocumentKind,
)
from ..models import Dossier
from ..workflow import TransitionNotAllowed
from .core import (
    allowed_delivery_methods,
    close_pause,
    next_code,
    notify_applicant,
    procedure_terms,
    store_file,
    transition,
    validate_delivery,
)


@transaction.atomic
def dossier_start_draft(*, applicant, procedure: Procedure, client_token) -> Dossier:
    """The applicant's draft for a procedure; the same form token always gives the same dossier."""
    if not procedure.is_active or not procedure.accepts_online:
        raise ValidationError(_("Thủ tục này không nhận hồ sơ trực tuyến."))
    dossier, created = Dossier.objects.get_or_create(
        client_token=client_token,
        defaults={
            "procedure": procedure,
            "agency": procedure.agency,
            "applicant": applicant,
            "applicant_type": applicant.applicant_type,
            "applicant_name": applicant.organization_name or applicant.full_name,
            "applicant_id_number": applicant.tax_code or applicant.citizen_id or "",
            "applicant_phone": applicant.phone,
            "applicant_email": applicant.email,
            "channel": Channel.ONLINE,
            "delivery_method": allowed_delivery_methods(procedure)[0],
        },
    )
    if dossier.applicant_id != applicant.pk:
        raise ValidationError(_("Phiên nộp hồ sơ không hợp lệ. Hãy tải lại trang."))
    return dossier


@transaction.atomic
def dossier_update_draft(
    *,
    dossier: Dossier,
    applicant,
    form_data: dict,
    delivery_method: str,
    delivery_address: str = "",
    applicant_address: str = "",
    applicant_phone: str = "",
) -> Dossier:
    dossier = Dossier.objects.select_for_update().select_related("procedure").get(pk=dossier.pk)
    if dossier.applicant_id != applicant.pk or not dossier.is_draft:
        raise TransitionNotAllowed(_("Hồ sơ đã nộp, không sửa được bản nháp."))
    validate_delivery(dossier.procedure, delivery_method, delivery_address)
    dossier.form_data = form_data
    dossier.delivery_method = delivery_method
    dossier.delivery_address = delivery_address.strip() if delivery_method == DeliveryMethod.POSTAL else ""
    dossier.applicant_address = applicant_address.strip()
    dossier.applicant_phone = applicant_phone.strip() or dossier.applicant_phone
    dossier.save(
        update_fields=[
            "form_data",
            "delivery_method",
            "delivery_address",
            "applicant_address",
            "applicant_phone",
            "updated_at",
        ]
    )
    return dossier


@transaction.atomic
def dossier_add_documents(*, dossier: Dossier, applicant, required_document: RequiredDocument, files) -> list:
    """Attach files to a component of a draft; all files are checked before any is kept."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.applicant_id != applicant.pk or not dossier.is_draft:
        raise TransitionNotAllowed(_("Hồ sơ đã nộp, không thêm tệp vào bản nháp được."))
    if required_document.procedure_id != dossier.procedure_id:
        raise ValidationError(_("Thành phần hồ sơ không thuộc thủ tục này."))
    return [
        store_file(
            dossier=dossier,
            uploaded_file=f,
            required_document=required_document,
            kind=DocumentKind.APPLICATION,
            user=applicant,
        )
        for f in files
    ]


@transaction.atomic
def dossier_remove_document(*, dossier: Dossier, applicant, document_id: int) -> None:
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.applicant_id != applicant.pk or not dossier.is_draft:
        raise TransitionNotAllowed(_("Hồ sơ đã nộp, không xoá tệp được."))
    document = dossier.documents.get(pk=document_id)
    document.file.delete(save=False)
    document.delete()


def _missing_components(dossier: Dossier) -> list[str]:
    provided = set(
        dossier.documents.filter(kind=DocumentKind.APPLICATION).values_list("required_document_id", flat=True)
    )
    return [doc.name for doc in dossier.procedure.documents.all() if doc.is_required and doc.pk not in provided]


def _missing_fields(dossier: Dossier) -> list[str]:
    return [
        item["label"]
        for item in dossier.procedure.applicant_fields
        if item.get("required") and not str(dossier.form_data.get(item["name"], "")).strip()
    ]


@transaction.atomic
def dossier_submit(*, dossier: Dossier, applicant) -> Dossier:
    """Submit a draft. Submitting again (a double click, a retried request) returns the same dossier:
    the row lock taken first makes the second request wait and then see the submitted dossier."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.applicant_id == applicant.pk and not locked.is_draft:
        return locked
    with transition(dossier=dossier, user=applicant, action=Action.SUBMIT) as change:
        d = change.dossier
        missing = _missing_components(d)
        if missing:
            raise ValidationError(_("Còn thiếu thành phần hồ sơ bắt buộc: %(names)s.") % {"names": "; ".join(missing)})
        missing = _missing_fields(d)
        if missing:
            raise ValidationError(_("Còn thiếu thông tin bắt buộc: %(names)s.") % {"names": "; ".join(missing)})
        validate_delivery(d.procedure, d.delivery_method, d.delivery_address)
        now = timezone.now()
        change.update(
            code=next_code(agency=d.agency, day=timezone.localdate(now)),
            submitted_at=now,
            **procedure_terms(d.procedure),
        )
        notify_applicant(
            d,
            subject=_("Đã nộp hồ sơ %(code)s") % {"code": d.code},
            body=_("Hồ sơ “%(procedure)s” đã được gửi tới %(agency)s và đang chờ tiếp nhận.")
            % {"procedure": d.procedure.name, "agency": d.agency.name},
        )
    return change.dossier


@transaction.atomic
def dossier_withdraw(*, dossier: Dossier, applicant, reason: str) -> Dossier:
    if not reason.strip():
        raise ValidationError(_("Hãy nêu lý do rút hồ sơ."))
    with transition(dossier=dossier, user=applicant, action=Action.WITHDRAW, note=reason.strip()) as change:
        close_pause(change)
    return change.dossier


def dossier_supplement(*, dossier: Dossier, user, files, note: str = "") -> Dossier:
    """The applicant answers a supplement request; the clock restarts and the due date moves by the
    working time it was paused."""
    with transition(dossier=dossier, user=user, action=Action.SUPPLEMENT, note=note.strip()) as change:
        d = change.dossier
        if not files:
            raise ValidationError(_("Hãy tải lên ít nhất một tệp bổ sung."))
        for uploaded in files:
            store_file(
                dossier=d, uploaded_file=uploaded, required_document=None, kind=DocumentKind.SUPPLEMENT, user=user
            )
        now = timezone.now()
        d.supplement_requests.filter(answered_at__isnull=True).update(answered_at=now)
        change.to_status = d.resume_status
        close_pause(change, resumed_at=now)
        change.update(resume_status="")
    return change.dossier
