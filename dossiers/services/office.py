"""Writes of the office: receive, request a supplement, refuse, forward, process, approve, hand back,
apologise. Each locks the dossier, checks the transition table and writes the status and an event."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.constants import Role
from portal.text import short_datetime
from procedures.calendar import working_calendar

from ..constants import (
    Action,
    DeliveryMethod,
    DossierStatus,
    Outcome,
)
from ..deadlines import due_at_for
from ..error_codes import ErrorCode
from ..models import Dossier, SupplementRequest
from ..parcels import result_with_post
from ..workflow import TransitionNotAllowed
from .core import atomic_with_files, notify_applicant, transition
from .results import result_hand_back_online, result_issue, result_propose, returns_online
from .supplements import requested_components


def dossier_receive(*, dossier: Dossier, officer, note: str = "") -> Dossier:
    """Accept a complete dossier: the clock starts and the appointment date is set."""
    with transition(dossier=dossier, user=officer, action=Action.RECEIVE, note=note.strip()) as change:
        d = change.dossier
        now = timezone.now()
        due = due_at_for(dossier=d, received_at=now, calendar=working_calendar())
        change.update(received_at=now, due_at=due, original_due_at=due)
        notify_applicant(
            d,
            subject=gettext_lazy("Hồ sơ %(code)s đã được tiếp nhận"),
            body=gettext_lazy("Ngày hẹn trả kết quả: %(due)s."),
            params={"due": short_datetime(due)},
        )
    return change.dossier


def dossier_request_supplement(
    *,
    dossier: Dossier,
    officer,
    items: list[str] = (),
    components: list[int] = (),
    respond_by: date | None = None,
    note: str = "",
) -> Dossier:
    """Ask the applicant for the listed items: required documents of the procedure (`components`, by id) and items the
    officer wrote (`items`), each answered with its own files, by `respond_by` (by default
    settings.SUPPLEMENT_RESPONSE_DAYS from today; a reminder goes out before it, services/supplements.py)."""
    written = [item.strip() for item in items if item.strip()]
    if not written and not components:
        raise ValidationError(_("Hãy liệt kê giấy tờ cần bổ sung."))
    today = timezone.localdate()
    respond_by = respond_by or today + timedelta(days=settings.SUPPLEMENT_RESPONSE_DAYS)
    if respond_by <= today:
        raise ValidationError(_("Hạn bổ sung phải sau ngày hôm nay."))
    with transition(dossier=dossier, user=officer, action=Action.REQUEST_SUPPLEMENT, note=note.strip()) as change:
        d = change.dossier
        named = requested_components(d, components)
        items = [component.name for component in named] + written
        now = timezone.now()
        at_reception = d.status in (DossierStatus.SUBMITTED, DossierStatus.RECEIVED)
        # The clock runs once the dossier is received: only then does a request pause it and count
        # toward "more than one request counts late". A request before receipt is still limited to
        # once at reception (`reception_supplement_requested`) but costs the office nothing.
        clock_running = d.received_at is not None
        SupplementRequest.objects.create(
            dossier=d,
            requested_by=officer,
            items=items,
            item_components=[component.pk for component in named] + [None] * len(written),
            note=note.strip(),
            at_reception=at_reception,
            requested_at=now,
            respond_by=respond_by,
        )
        change.update(
            resume_status=d.status,
            supplement_count=d.supplement_count + (1 if clock_running else 0),
            paused_at=now if clock_running and d.due_at else None,
            reception_supplement_requested=d.reception_supplement_requested or at_reception,
        )
        notify_applicant(
            d,
            subject=gettext_lazy("Hồ sơ %(code)s cần bổ sung"),
            body=gettext_lazy("Giấy tờ cần bổ sung: %(items)s. Hạn bổ sung: %(respond_by)s. %(note)s"),
            params={"items": "; ".join(items), "respond_by": date_format(respond_by, "d/m/Y"), "note": note.strip()},
        )
    return change.dossier


def dossier_refuse(*, dossier: Dossier, officer, reason: str) -> Dossier:
    if not reason.strip():
        raise ValidationError(_("Hãy nêu lý do từ chối."))
    with transition(dossier=dossier, user=officer, action=Action.REFUSE, note=reason.strip()) as change:
        change.update(resolution_note=reason.strip())
        notify_applicant(
            change.dossier,
            subject=gettext_lazy("Hồ sơ %(code)s không được tiếp nhận"),
            body=gettext_lazy("Lý do: %(reason)s"),
            params={"reason": reason.strip()},
        )
    return change.dossier


def dossier_forward(*, dossier: Dossier, officer, assignee=None, note: str = "") -> Dossier:
    """Send a received dossier to the processing department, optionally to one specialist."""
    with transition(dossier=dossier, user=officer, action=Action.FORWARD, note=note.strip()) as change:
        if assignee is not None:
            if assignee.agency_id != change.dossier.agency_id or not assignee.has_role(Role.PROCESSING_OFFICER):
                raise ValidationError(_("Người được giao phải là chuyên viên xử lý của cơ quan."))
            change.update(assignee=assignee)
            change.receiver = assignee
    return change.dossier


def dossier_take(*, dossier: Dossier, officer) -> Dossier:
    with transition(dossier=dossier, user=officer, action=Action.TAKE) as change:
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
    with transition(dossier=dossier, user=officer, action=Action.PROPOSE, note=note.strip()) as change:
        if result_file is not None:
            # Kept apart from the applicant's files, until the approver signs it (services/results.py).
            result_propose(dossier=change.dossier, officer=officer, result_file=result_file)
        change.update(proposed_outcome=outcome, proposed_by=officer, resolution_note=note.strip())
    return change.dossier


def dossier_approve(*, dossier: Dossier, approver, note: str = "") -> Dossier:
    """Approve the proposal: a refusal closes the dossier; a result is signed in the agency's name (refused, with
    nothing written, when it cannot be: services/results.py) and, when the applicant chose the electronic result,
    returned online at once."""
    with atomic_with_files():
        result = None
        with transition(dossier=dossier, user=approver, action=Action.APPROVE, note=note.strip()) as change:
            d = change.dossier
            if d.proposed_outcome == Outcome.REFUSAL:
                change.to_status = DossierStatus.REFUSED
                notify_applicant(
                    d,
                    subject=gettext_lazy("Hồ sơ %(code)s bị từ chối giải quyết"),
                    body=gettext_lazy("Lý do: %(reason)s"),
                    params={"reason": d.resolution_note},
                )
            else:
                change.to_status = DossierStatus.RESULT_READY
                result = result_issue(dossier=d, approver=approver)
                change.facts = {"result_id": result.pk, "sha256": result.sha256}
                if not returns_online(d):  # else the hand-back below tells the applicant
                    notify_applicant(
                        d,
                        subject=gettext_lazy("Hồ sơ %(code)s đã có kết quả"),
                        body=gettext_lazy(
                            "Kết quả được trả theo hình thức: %(method)s. Bản điện tử đã ký số có trên trang hồ sơ."
                        ),
                        params={"method": DeliveryMethod(d.delivery_method).label},  # lazy: translated with the rest
                    )
        if result is not None and returns_online(change.dossier):
            result_hand_back_online(dossier=change.dossier, approver=approver, result=result)
    return change.dossier


def dossier_send_back(*, dossier: Dossier, approver, note: str) -> Dossier:
    if not note.strip():
        raise ValidationError(_("Hãy ghi ý kiến khi trả lại hồ sơ."))
    with transition(dossier=dossier, user=approver, action=Action.SEND_BACK, note=note.strip()) as change:
        change.update(proposed_outcome="", proposed_by=None)
        change.receiver = change.dossier.assignee
    return change.dossier


def dossier_deliver(
    *, dossier: Dossier, officer, note: str = "", counter_pickup: bool = False, postal_tracking_number: str = ""
) -> Dossier:
    """Hand the result back: at the counter, online, or by post. A result by post is handed back by the postal app
    when the carrier accepts the parcel, with the carrier's tracking number (`postal_tracking_number`, never typed
    by an officer); at the desk only when the officer records that the applicant came for it instead
    (`counter_pickup`: the dossier's delivery method becomes the counter, and the event says so)."""
    with transition(dossier=dossier, user=officer, action=Action.DELIVER, note=note.strip()) as change:
        d = change.dossier
        if d.delivery_method == DeliveryMethod.POSTAL:
            if postal_tracking_number.strip():
                # Kept on the dossier and, as data, on the event (`extra_data`), which the timelines show.
                change.update(postal_tracking_number=postal_tracking_number.strip())
            elif counter_pickup:
                if result_with_post(dossier=d):  # the parcel would still reach the applicant, with its COD
                    raise TransitionNotAllowed(
                        _(
                            "Kết quả của hồ sơ này đã được giao cho bưu điện nên không trả tại quầy được; "
                            "chỉ khi bưu gửi bị chuyển hoàn hoặc huỷ."
                        ),
                        ErrorCode.RESULT_WITH_POST,
                    )
                change.update(delivery_method=DeliveryMethod.COUNTER)
                change.facts["switched_from_postal"] = True
            else:
                raise ValidationError(
                    _(
                        "Kết quả của hồ sơ này được gửi qua bưu điện: hãy dùng nút “Giao kết quả cho bưu điện”, "
                        "hoặc ghi nhận người nộp đến nhận tại quầy."
                    )
                )
        change.update(returned_at=timezone.now())
    return change.dossier


def dossier_apologize(*, dossier: Dossier, officer, new_due_at: datetime, reason: str) -> Dossier:
    """The apology letter with a new appointment date (once). The dossier still counts late."""
    if not reason.strip():
        raise ValidationError(_("Hãy nêu lý do chậm trả kết quả."))
    with transition(dossier=dossier, user=officer, action=Action.APOLOGIZE, note=reason.strip()) as change:
        d = change.dossier
        now = timezone.now()
        if d.due_at and new_due_at <= d.due_at:
            raise ValidationError(_("Ngày hẹn mới phải sau ngày hẹn hiện tại."))
        if new_due_at <= now:  # an overdue dossier's new date must still lie ahead
            raise ValidationError(_("Ngày hẹn mới phải sau thời điểm hiện tại."))
        change.update(apologized_at=now, due_at=new_due_at)
        notify_applicant(
            d,
            subject=gettext_lazy("Xin lỗi về việc chậm trả kết quả hồ sơ %(code)s"),
            body=gettext_lazy("Lý do: %(reason)s. Ngày hẹn trả mới: %(due)s."),
            params={"reason": reason.strip(), "due": short_datetime(new_due_at)},
        )
    return change.dossier
