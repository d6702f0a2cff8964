"""The machinery every dossier write shares: codes, the locked transition, files, notifications."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import OutboxMessage
from portal.notifications import outbox_enqueue
from procedures.calendar import working_calendar
from procedures.models import Procedure, RequiredDocument

from ..constants import (
    CLOSING_STATUSES,
    DeliveryMethod,
)
from ..deadlines import classify, due_at_after_pause
from ..models import Dossier, DossierCodeSequence, DossierDocument, DossierEvent
from ..uploads import check_upload
from ..workflow import check_transition


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


def next_code(*, agency, day) -> str:
    """`<agency code>-YYMMDD-XXXX`, the sequence per agency per day; the row lock serialises
    concurrent submissions, so two dossiers never share a code."""
    sequence, _created = DossierCodeSequence.objects.select_for_update().get_or_create(agency=agency, day=day)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{agency.code}-{day:%y%m%d}-{sequence.last_number:04d}"


def procedure_terms(procedure: Procedure) -> dict:
    """The terms a dossier keeps, so that editing the procedure never changes a dossier in flight."""
    return {
        "processing_time": procedure.processing_time,
        "processing_time_unit": procedure.processing_time_unit,
        "cutoff_time": procedure.cutoff_time,
        "fee": procedure.fee,
    }


# --- notifications -----------------------------------------------------------------------------


def notify_applicant(dossier: Dossier, *, subject: str, body: str) -> None:
    text = f"{subject}\n\n{body}\n\n" + _("Mã hồ sơ: %(code)s") % {"code": dossier.code}
    outbox_enqueue(channel=OutboxMessage.Channel.EMAIL, recipient=dossier.applicant_email, subject=subject, body=text)
    outbox_enqueue(
        channel=OutboxMessage.Channel.SMS, recipient=dossier.applicant_phone, body=f"{dossier.code}: {subject}"
    )


def format_due(due_at: datetime | None) -> str:
    return timezone.localtime(due_at).strftime("%H:%M %d/%m/%Y") if due_at else ""


# --- the transition core -----------------------------------------------------------------------


@dataclass
class Change:
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
def transition(*, dossier: Dossier, user, action: str, note: str = "") -> Iterator[Change]:
    """Lock, check, let the caller change fields, then write status and event together."""
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().select_related("agency", "procedure").get(pk=dossier.pk)
        transition = check_transition(dossier=locked, user=user, action=action)
        change = Change(
            dossier=locked, action=action, from_status=locked.status, to_status=transition.target, note=note
        )
        yield change
        write_change(change, user=user)


def write_change(change: Change, *, user) -> None:
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


def validate_delivery(procedure: Procedure, delivery_method: str, delivery_address: str) -> None:
    if delivery_method not in allowed_delivery_methods(procedure):
        raise ValidationError(_("Thủ tục này không trả kết quả theo hình thức đã chọn."))
    if delivery_method == DeliveryMethod.POSTAL and not delivery_address.strip():
        raise ValidationError(_("Nhận kết quả qua bưu chính cần địa chỉ nhận."))


def store_file(
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


def close_pause(change: Change, resumed_at: datetime | None = None) -> None:
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
