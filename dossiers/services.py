"""Every write to a dossier. Each transition locks the row, checks the transition table, writes the
new status and an event in one transaction, and queues notifications through the outbox."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.constants import ApplicantType, Role
from portal.models import OutboxMessage
from portal.notifications import outbox_enqueue
from procedures.calendar import working_calendar
from procedures.models import Procedure, RequiredDocument

from .constants import (
    CLOSING_STATUSES,
    Action,
    Channel,
    DeliveryMethod,
    DocumentKind,
    DossierStatus,
    Outcome,
)
from .deadlines import classify, due_at_after_pause, due_at_for
from .models import Dossier, DossierCodeSequence, DossierDocument, DossierEvent, SupplementRequest
from .uploads import check_upload
from .workflow import TransitionNotAllowed, check_transition


def allowed_delivery_methods(procedure: Procedure) -> list[str]:
    methods = []
    if procedure.delivers_at_counter:
        methods.append(DeliveryMethod.COUNTER)
    if procedure.delivers_online:
        methods.append(DeliveryMethod.ONLINE)
    if procedure.delivers_by_post:
        methods.append(DeliveryMethod.POSTAL)
    return methods


# --- codes -------------------------------------------------------------------------------------


def _next_code(*, agency, day) -> str:
    """`<agency code>-YYMMDD-XXXX`, the sequence per agency per day; the row lock serialises
    concurrent submissions, so two dossiers never share a code."""
    sequence, _created = DossierCodeSequence.objects.select_for_update().get_or_create(agency=agency, day=day)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{agency.code}-{day:%y%m%d}-{sequence.last_number:04d}"


def _procedure_terms(procedure: Procedure) -> dict:
    """The terms a dossier keeps, so that editing the procedure never changes a dossier in flight."""
    return {
        "processing_time": procedure.processing_time,
        "processing_time_unit": procedure.processing_time_unit,
        "cutoff_time": procedure.cutoff_time,
        "fee": procedure.fee,
    }


# --- notifications -----------------------------------------------------------------------------


def _notify_applicant(dossier: Dossier, *, subject: str, body: str) -> None:
    text = f"{subject}\n\n{body}\n\n" + _("Mã hồ sơ: %(code)s") % {"code": dossier.code}
    outbox_enqueue(channel=OutboxMessage.Channel.EMAIL, recipient=dossier.applicant_email, subject=subject, body=text)
    outbox_enqueue(
        channel=OutboxMessage.Channel.SMS, recipient=dossier.applicant_phone, body=f"{dossier.code}: {subject}"
    )


def _format_due(due_at: datetime | None) -> str:
    return timezone.localtime(due_at).strftime("%H:%M %d/%m/%Y") if due_at else ""


# --- the transition core -----------------------------------------------------------------------


@dataclass
class _Change:
    dossier: Dossier
    action: str
    from_status: str
    to_status: str | None
    note: str = ""
    receiver: object = None
    fields: set[str] = field(default_factory=set)

    def update(self, **values) -> None:
        for name, value in values.items():
            setattr(self.dossier, name, value)
            self.fields.add(name)


@contextmanager
def _transition(*, dossier: Dossier, user, action: str, note: str = "") -> Iterator[_Change]:
    """Lock, check, let the caller change fields, then write status and event together."""
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().select_related("agency", "procedure").get(pk=dossier.pk)
        transition = check_transition(dossier=locked, user=user, action=action)
        change = _Change(
            dossier=locked, action=action, from_status=locked.status, to_status=transition.target, note=note
        )
        yield change
        _write(change, user=user)


def _write(change: _Change, *, user) -> None:
    dossier, now = change.dossier, timezone.now()
    to_status = change.to_status or dossier.status
    if to_status != dossier.status:
        change.update(status=to_status)
    if to_status in CLOSING_STATUSES and dossier.finished_at is None:
        change.update(
            finished_at=now,
            timeliness=classify(
                finished_at=now,
                due_at=dossier.due_at,
                supplement_count=dossier.supplement_count,
                apologized=dossier.apologized_at is not None,
            ),
        )
    dossier.save(update_fields=[*sorted(change.fields), "updated_at"])
    DossierEvent.objects.create(
        dossier=dossier,
        action=change.action,
        actor=user if getattr(user, "is_authenticated", False) else None,
        receiver=change.receiver,
        from_status=change.from_status,
        to_status=to_status,
        note=change.note,
        due_at=dossier.due_at,
    )


# --- the applicant's side ----------------------------------------------------------------------


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


def _validate_delivery(procedure: Procedure, delivery_method: str, delivery_address: str) -> None:
    if delivery_method not in allowed_delivery_methods(procedure):
        raise ValidationError(_("Thủ tục này không trả kết quả theo hình thức đã chọn."))
    if delivery_method == DeliveryMethod.POSTAL and not delivery_address.strip():
        raise ValidationError(_("Nhận kết quả qua bưu chính cần địa chỉ nhận."))


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
    _validate_delivery(dossier.procedure, delivery_method, delivery_address)
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


def _store_file(
    *, dossier: Dossier, uploaded_file, required_document: RequiredDocument | None, kind: str, user
) -> DossierDocument:
    accepted = required_document.accepted_types_or_default if required_document else ["pdf", "jpg", "png"]
    label = required_document.name if required_document else _("Hồ sơ bổ sung")
    checked = check_upload(uploaded_file, accepted_types=accepted, label=label)
    document = DossierDocument(
        dossier=dossier,
        required_document=required_document,
        kind=kind,
        original_name=uploaded_file.name[:255],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    document.file.save(f"{checked.sha256[:16]}.{checked.file_type}", uploaded_file, save=False)
    document.save()
    return document


@transaction.atomic
def dossier_add_documents(*, dossier: Dossier, applicant, required_document: RequiredDocument, files) -> list:
    """Attach files to a component of a draft; all files are checked before any is kept."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.applicant_id != applicant.pk or not dossier.is_draft:
        raise TransitionNotAllowed(_("Hồ sơ đã nộp, không thêm tệp vào bản nháp được."))
    if required_document.procedure_id != dossier.procedure_id:
        raise ValidationError(_("Thành phần hồ sơ không thuộc thủ tục này."))
    return [
        _store_file(
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
    with _transition(dossier=dossier, user=applicant, action=Action.SUBMIT) as change:
        d = change.dossier
        missing = _missing_components(d)
        if missing:
            raise ValidationError(_("Còn thiếu thành phần hồ sơ bắt buộc: %(names)s.") % {"names": "; ".join(missing)})
        missing = _missing_fields(d)
        if missing:
            raise ValidationError(_("Còn thiếu thông tin bắt buộc: %(names)s.") % {"names": "; ".join(missing)})
        _validate_delivery(d.procedure, d.delivery_method, d.delivery_address)
        now = timezone.now()
        change.update(
            code=_next_code(agency=d.agency, day=timezone.localdate(now)),
            submitted_at=now,
            **_procedure_terms(d.procedure),
        )
        _notify_applicant(
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
    with _transition(dossier=dossier, user=applicant, action=Action.WITHDRAW, note=reason.strip()) as change:
        _close_pause(change)
    return change.dossier


def dossier_supplement(*, dossier: Dossier, user, files, note: str = "") -> Dossier:
    """The applicant answers a supplement request; the clock restarts and the due date moves by the
    working time it was paused."""
    with _transition(dossier=dossier, user=user, action=Action.SUPPLEMENT, note=note.strip()) as change:
        d = change.dossier
        if not files:
            raise ValidationError(_("Hãy tải lên ít nhất một tệp bổ sung."))
        for uploaded in files:
            _store_file(
                dossier=d, uploaded_file=uploaded, required_document=None, kind=DocumentKind.SUPPLEMENT, user=user
            )
        now = timezone.now()
        d.supplement_requests.filter(answered_at__isnull=True).update(answered_at=now)
        change.to_status = d.resume_status
        _close_pause(change, resumed_at=now)
        change.update(resume_status="")
    return change.dossier


def _close_pause(change: _Change, resumed_at: datetime | None = None) -> None:
    d = change.dossier
    if d.paused_at is None:
        return
    if d.due_at is not None:
        change.update(
            due_at=due_at_after_pause(
                due_at=d.due_at,
                paused_at=d.paused_at,
                resumed_at=resumed_at or timezone.now(),
                calendar=working_calendar(),
            )
        )
    change.update(paused_at=None)


# --- the office's side -------------------------------------------------------------------------


def dossier_receive(*, dossier: Dossier, officer, note: str = "") -> Dossier:
    """Accept a complete dossier: the clock starts and the appointment date is set."""
    with _transition(dossier=dossier, user=officer, action=Action.RECEIVE, note=note.strip()) as change:
        d = change.dossier
        now = timezone.now()
        due = due_at_for(dossier=d, received_at=now, calendar=working_calendar())
        change.update(received_at=now, due_at=due, original_due_at=due)
        _notify_applicant(
            d,
            subject=_("Hồ sơ %(code)s đã được tiếp nhận") % {"code": d.code},
            body=_("Ngày hẹn trả kết quả: %(due)s.") % {"due": _format_due(due)},
        )
    return change.dossier


def dossier_request_supplement(*, dossier: Dossier, officer, items: list[str], note: str = "") -> Dossier:
    items = [item.strip() for item in items if item.strip()]
    if not items:
        raise ValidationError(_("Hãy liệt kê giấy tờ cần bổ sung."))
    with _transition(dossier=dossier, user=officer, action=Action.REQUEST_SUPPLEMENT, note=note.strip()) as change:
        d = change.dossier
        now = timezone.now()
        at_reception = d.status in (DossierStatus.SUBMITTED, DossierStatus.RECEIVED)
        SupplementRequest.objects.create(
            dossier=d,
            requested_by=officer,
            items=items,
            note=note.strip(),
            at_reception=at_reception,
            requested_at=now,
        )
        change.update(
            resume_status=d.status,
            supplement_count=d.supplement_count + 1,
            paused_at=now if d.due_at else None,
            reception_supplement_requested=d.reception_supplement_requested or at_reception,
        )
        _notify_applicant(
            d,
            subject=_("Hồ sơ %(code)s cần bổ sung") % {"code": d.code},
            body=_("Giấy tờ cần bổ sung: %(items)s. %(note)s") % {"items": "; ".join(items), "note": note},
        )
    return change.dossier


def dossier_refuse(*, dossier: Dossier, officer, reason: str) -> Dossier:
    if not reason.strip():
        raise ValidationError(_("Hãy nêu lý do từ chối."))
    with _transition(dossier=dossier, user=officer, action=Action.REFUSE, note=reason.strip()) as change:
        change.update(resolution_note=reason.strip())
        _notify_applicant(
            change.dossier,
            subject=_("Hồ sơ %(code)s không được tiếp nhận") % {"code": change.dossier.code},
            body=_("Lý do: %(reason)s") % {"reason": reason.strip()},
        )
    return change.dossier


def dossier_forward(*, dossier: Dossier, officer, assignee=None, note: str = "") -> Dossier:
    """Send a received dossier to the processing department, optionally to one specialist."""
    with _transition(dossier=dossier, user=officer, action=Action.FORWARD, note=note.strip()) as change:
        if assignee is not None:
            if assignee.agency_id != change.dossier.agency_id or not assignee.has_role(Role.PROCESSING_OFFICER):
                raise ValidationError(_("Người được giao phải là chuyên viên xử lý của cơ quan."))
            change.update(assignee=assignee)
            change.receiver = assignee
    return change.dossier


def dossier_take(*, dossier: Dossier, officer) -> Dossier:
    with _transition(dossier=dossier, user=officer, action=Action.TAKE) as change:
        change.update(assignee=officer)
        change.receiver = officer
    return change.dossier


def dossier_propose(*, dossier: Dossier, officer, outcome: str, note: str = "", result_file=None) -> Dossier:
    """Propose a result (with the result document) or a refusal to the approver."""
    if outcome not in Outcome.values:
        raise ValidationError(_("Đề xuất không hợp lệ."))
    if outcome == Outcome.REFUSAL and not note.strip():
        raise ValidationError(_("Hãy nêu lý do đề xuất từ chối."))
    if outcome == Outcome.RESULT and result_file is None:
        raise ValidationError(_("Hãy tải lên văn bản kết quả giải quyết."))
    with _transition(dossier=dossier, user=officer, action=Action.PROPOSE, note=note.strip()) as change:
        if result_file is not None:
            change.dossier.documents.filter(kind=DocumentKind.RESULT).delete()
            _store_file(
                dossier=change.dossier,
                uploaded_file=result_file,
                required_document=None,
                kind=DocumentKind.RESULT,
                user=officer,
            )
        change.update(proposed_outcome=outcome, resolution_note=note.strip())
    return change.dossier


def dossier_approve(*, dossier: Dossier, approver, note: str = "") -> Dossier:
    with _transition(dossier=dossier, user=approver, action=Action.APPROVE, note=note.strip()) as change:
        d = change.dossier
        if d.proposed_outcome == Outcome.REFUSAL:
            change.to_status = DossierStatus.REFUSED
            subject = _("Hồ sơ %(code)s bị từ chối giải quyết") % {"code": d.code}
            body = _("Lý do: %(reason)s") % {"reason": d.resolution_note}
        else:
            change.to_status = DossierStatus.RESULT_READY
            subject = _("Hồ sơ %(code)s đã có kết quả") % {"code": d.code}
            body = _("Kết quả được trả theo hình thức: %(method)s.") % {"method": d.get_delivery_method_display()}
        _notify_applicant(d, subject=subject, body=body)
    return change.dossier


def dossier_send_back(*, dossier: Dossier, approver, note: str) -> Dossier:
    if not note.strip():
        raise ValidationError(_("Hãy ghi ý kiến khi trả lại hồ sơ."))
    with _transition(dossier=dossier, user=approver, action=Action.SEND_BACK, note=note.strip()) as change:
        change.update(proposed_outcome="")
        change.receiver = change.dossier.assignee
    return change.dossier


def dossier_deliver(*, dossier: Dossier, officer, note: str = "", postal_tracking_number: str = "") -> Dossier:
    """Hand the result back (at the counter, online, or to the postal service)."""
    with _transition(dossier=dossier, user=officer, action=Action.DELIVER, note=note.strip()) as change:
        d = change.dossier
        if d.delivery_method == DeliveryMethod.POSTAL:
            if not postal_tracking_number.strip():
                raise ValidationError(_("Hãy nhập số hiệu bưu gửi khi trả kết quả qua bưu chính."))
            change.update(postal_tracking_number=postal_tracking_number.strip())
            change.note = (change.note + " " + _("Số hiệu bưu gửi: %(n)s") % {"n": postal_tracking_number}).strip()
        change.update(returned_at=timezone.now())
    return change.dossier


def dossier_apologize(*, dossier: Dossier, officer, new_due_at: datetime, reason: str) -> Dossier:
    """The apology letter with a new appointment date (once). The dossier still counts late."""
    if not reason.strip():
        raise ValidationError(_("Hãy nêu lý do chậm trả kết quả."))
    with _transition(dossier=dossier, user=officer, action=Action.APOLOGIZE, note=reason.strip()) as change:
        d = change.dossier
        if d.due_at and new_due_at <= d.due_at:
            raise ValidationError(_("Ngày hẹn mới phải sau ngày hẹn hiện tại."))
        change.update(apologized_at=timezone.now(), due_at=new_due_at)
        _notify_applicant(
            d,
            subject=_("Xin lỗi về việc chậm trả kết quả hồ sơ %(code)s") % {"code": d.code},
            body=_("Lý do: %(reason)s. Ngày hẹn trả mới: %(due)s.")
            % {"reason": reason.strip(), "due": _format_due(new_due_at)},
        )
    return change.dossier


@transaction.atomic
def dossier_record_intake(
    *,
    officer,
    procedure: Procedure,
    client_token,
    channel: int,
    applicant_name: str,
    applicant_id_number: str = "",
    applicant_phone: str = "",
    applicant_email: str = "",
    applicant_address: str = "",
    applicant_type: int = ApplicantType.CITIZEN,
    form_data: dict | None = None,
    delivery_method: str,
    delivery_address: str = "",
    files_by_component: dict[int, list] | None = None,
    postal_tracking_number: str = "",
    note: str = "",
) -> Dossier:
    """A paper dossier brought to the counter or sent by post, digitised and received by an officer.
    The same `client_token` (one per intake form) always gives the same dossier."""
    already = Dossier.objects.filter(client_token=client_token).first()
    if already is not None:
        if already.agency_id != officer.agency_id:
            raise ValidationError(_("Phiên tiếp nhận không hợp lệ. Hãy tải lại trang."))
        return already
    if channel not in (Channel.COUNTER, Channel.POSTAL):
        raise ValidationError(_("Hình thức nộp không hợp lệ."))
    if not applicant_name.strip():
        raise ValidationError(_("Hãy nhập họ tên người nộp."))
    if channel == Channel.POSTAL and not procedure.accepts_postal:
        raise ValidationError(_("Thủ tục này không nhận hồ sơ qua bưu chính."))
    if channel == Channel.COUNTER and not procedure.accepts_counter:
        raise ValidationError(_("Thủ tục này không nhận hồ sơ trực tiếp."))
    if officer.agency_id != procedure.agency_id or not officer.has_role(Role.RECEPTION_OFFICER):
        raise TransitionNotAllowed(_("Bạn không có quyền tiếp nhận hồ sơ của thủ tục này."))
    _validate_delivery(procedure, delivery_method, delivery_address)
    files_by_component = files_by_component or {}
    missing = [doc.name for doc in procedure.documents.all() if doc.is_required and not files_by_component.get(doc.pk)]
    if missing:
        raise ValidationError(_("Còn thiếu thành phần hồ sơ bắt buộc: %(names)s.") % {"names": "; ".join(missing)})
    now = timezone.now()
    dossier = Dossier(
        client_token=client_token,
        procedure=procedure,
        agency=procedure.agency,
        channel=channel,
        status=DossierStatus.SUBMITTED,
        applicant_type=applicant_type,
        applicant_name=applicant_name.strip(),
        applicant_id_number=applicant_id_number.strip(),
        applicant_phone=applicant_phone.strip(),
        applicant_email=applicant_email.strip(),
        applicant_address=applicant_address.strip(),
        form_data=form_data or {},
        delivery_method=delivery_method,
        delivery_address=delivery_address.strip(),
        postal_tracking_number=postal_tracking_number.strip(),
        submitted_at=now,
        code=_next_code(agency=procedure.agency, day=timezone.localdate(now)),
        **_procedure_terms(procedure),
    )
    dossier.save()
    components = {doc.pk: doc for doc in procedure.documents.all()}
    for component_id, files in files_by_component.items():
        for uploaded in files:
            _store_file(
                dossier=dossier,
                uploaded_file=uploaded,
                required_document=components[component_id],
                kind=DocumentKind.APPLICATION,
                user=officer,
            )
    DossierEvent.objects.create(
        dossier=dossier,
        action=Action.SUBMIT,
        actor=officer,
        from_status=DossierStatus.DRAFT,
        to_status=DossierStatus.SUBMITTED,
        note=note.strip(),
    )
    return dossier_receive(dossier=dossier, officer=officer, note=note)
