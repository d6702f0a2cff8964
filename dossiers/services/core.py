"""The machinery every dossier write shares: codes, the locked transition, files, notifications."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from portal.models import OutboxMessage
from portal.notifications import outbox_enqueue
from portal.services import notification_post
from procedures.calendar import working_calendar
from procedures.models import Procedure, RequiredDocument

from ..constants import (
    CLOCK_RUNNING_STATUSES,
    CLOSING_STATUSES,
    DeliveryMethod,
    FeeStatus,
)
from ..deadlines import at_risk_after, classify, due_at_after_pause, step_entries
from ..locks import dossier_lock
from ..lookup import cache as lookup_cache
from ..models import Dossier, DossierCodeSequence, DossierDocument, DossierEvent
from ..uploads import CheckedUpload, check_upload, check_upload_volume
from ..workflow import check_transition

logger = logging.getLogger(__name__)


# --- codes -------------------------------------------------------------------------------------


def next_code(*, agency, day) -> str:
    """`<agency code>-YYMMDD-XXXX`, the sequence per agency per day; the row lock serialises
    concurrent submissions, so two dossiers never share a code."""
    sequence, _created = DossierCodeSequence.objects.select_for_update().get_or_create(agency=agency, day=day)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{agency.code}-{day:%y%m%d}-{sequence.last_number:04d}"


def procedure_terms(procedure: Procedure) -> dict:
    """The terms a dossier keeps, so that editing the procedure never changes a dossier in flight; with a fee,
    the dossier starts owing it."""
    return {
        "processing_time": procedure.processing_time,
        "processing_time_unit": procedure.processing_time_unit,
        "cutoff_time": procedure.cutoff_time,
        "fee": procedure.fee,
        "fee_timing": procedure.fee_timing,
        "fee_refundable": procedure.fee_refundable,
        "fee_status": FeeStatus.UNPAID if procedure.fee else FeeStatus.NONE,
    }


# --- notifications -----------------------------------------------------------------------------


def notify_applicant(
    dossier: Dossier, *, subject: Promise | str, body: Promise | str, params: dict | None = None
) -> None:
    """Queue the e-mail and the SMS to the address and phone the applicant declared on the dossier, and tell its
    account on the portal's notifications page.

    `subject` and `body` are lazy messages (`gettext_lazy`) whose `%(name)s` placeholders are filled
    from `params` and `%(code)s` from the dossier. They are translated here, in the portal's language
    (`settings.LANGUAGE_CODE`), not in the language of the officer whose action sends them: an officer
    who browses in English still writes to the citizen in Vietnamese. Values in `params` may be lazy
    too (a choice label) and are translated the same way."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {"code": dossier.code, **{name: str(value) for name, value in (params or {}).items()}}
        subject_text = str(subject) % values
        body_text = str(body) % values
        text = f"{subject_text}\n\n{body_text}\n\n" + _("Mã hồ sơ: %(code)s") % {"code": dossier.code}
    outbox_enqueue(
        channel=OutboxMessage.Channel.EMAIL, recipient=dossier.applicant_email, subject=subject_text, body=text
    )
    outbox_enqueue(
        channel=OutboxMessage.Channel.SMS, recipient=dossier.applicant_phone, body=f"{dossier.code}: {subject_text}"
    )
    if dossier.applicant_id is not None:  # a paper dossier has no account to tell
        notification_post(
            user_id=dossier.applicant_id,
            subject=subject_text,
            body=body_text,
            link=reverse("dossiers:my-dossier", args=[dossier.pk]),
        )


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
    # Each changed field's value before the change (a foreign key's id), for the event's facts.
    before: dict = field(default_factory=dict)
    # Facts the service states itself (JSON values: the amount and reference of a payment), kept on the event.
    facts: dict = field(default_factory=dict)

    def update(self, **values) -> None:
        for name, value in values.items():
            self.before.setdefault(name, getattr(self.dossier, Dossier._meta.get_field(name).attname))
            setattr(self.dossier, name, value)
            self.fields.add(name)


@contextmanager
def transition(*, dossier: Dossier, user, action: str, note: str = "") -> Iterator[Change]:
    """Lock, check, let the caller change fields, then write status and event together."""
    with atomic_with_files():
        # Only the dossier's row is locked, and its related rows are read after the lock (dossiers/locks.py):
        # transitions of different dossiers of one agency never wait for each other, and the guards see the
        # assignee that the transaction the lock waited for has just set.
        locked = dossier_lock(dossier.pk)
        transition = check_transition(dossier=locked, user=user, action=action)
        change = Change(
            dossier=locked, action=action, from_status=locked.status, to_status=transition.target, note=note
        )
        yield change
        write_change(change, user=user)


# What the moment a dossier becomes at risk depends on (`deadlines.at_risk_after`).
RISK_FIELDS = frozenset({"status", "received_at", "due_at"})


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
    # The event before the row: a change of status begins a step at the event's moment, which the moment the
    # dossier becomes at risk counts from.
    event = record_event(
        dossier=dossier,
        action=change.action,
        user=user,
        from_status=change.from_status,
        to_status=to_status,
        note=change.note,
        receiver=change.receiver,
        extra_data={**change_facts(change), **change.facts},
    )
    if change.fields & RISK_FIELDS:
        change.update(
            at_risk_after=_at_risk_after(dossier, entered_at=event.created_at if "status" in change.fields else None)
        )
    dossier.save(update_fields=[*sorted(change.fields), "updated_at"])
    lookup_cache.forget_on_commit(dossier.code)  # the public lookup's cached answer (dossiers/lookup/cache.py)


def _at_risk_after(dossier: Dossier, *, entered_at: datetime | None):
    """`deadlines.at_risk_after` of the changed `dossier`: its step began at `entered_at` when the change entered
    it, else at its last entry into its status (one query, only while its clock runs: an apology's new date)."""
    if entered_at is None and dossier.status in CLOCK_RUNNING_STATUSES:
        entered_at = step_entries(dossier.pk, dossier.status).values_list("created_at", flat=True).first()
    return at_risk_after(
        status=dossier.status, received_at=dossier.received_at, due_at=dossier.due_at, step_started_at=entered_at
    )


def change_facts(change: Change) -> dict:
    """What the event keeps as data of a change (`DossierEvent.extra_data`): the due date and the assignee
    before and after, when they moved, and the postal tracking number of a hand-back by post."""
    facts = {}
    d, before = change.dossier, change.before
    if "due_at" in before and before["due_at"] != d.due_at:
        facts["old_due_at"] = _utc_iso(before["due_at"])
        facts["new_due_at"] = _utc_iso(d.due_at)
    if "assignee" in before and before["assignee"] != d.assignee_id:
        facts["old_assignee_id"] = before["assignee"]
        facts["new_assignee_id"] = d.assignee_id
    if "postal_tracking_number" in before:
        facts["postal_tracking_number"] = d.postal_tracking_number
    return facts


def _utc_iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


def record_event(
    *,
    dossier: Dossier,
    action: str,
    user,
    from_status: str,
    to_status: str,
    note: str = "",
    receiver=None,
    extra_data: dict | None = None,
) -> DossierEvent:
    """Append the event of a change made on `dossier` (saved, or saved next in the same transaction): the actor
    (None for an anonymous or system user), the due date in force after it, which the control sheet marks each step
    against, and the change's facts as data (`extra_data`: JSON values only).
    The one place that writes events: `write_change` for every transition, intake for its submission."""
    return DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        actor=user if getattr(user, "is_authenticated", False) else None,
        receiver=receiver,
        from_status=from_status,
        to_status=to_status,
        note=note,
        due_at=dossier.due_at,
        extra_data=extra_data or {},
    )


def clean_text(value: str, *, max_length: int, label) -> str:
    """A free text stripped, refused when longer than its column."""
    value = (value or "").strip()
    if len(value) > max_length:
        raise ValidationError(
            _("%(label)s dài quá %(n)s ký tự.") % {"label": label, "n": max_length}, code="max_length"
        )
    return value


def validate_delivery(procedure: Procedure, delivery_method: str, delivery_address: str) -> None:
    if delivery_method not in procedure.delivery_methods:
        raise ValidationError(_("Thủ tục này không trả kết quả theo hình thức đã chọn."))
    if delivery_method == DeliveryMethod.POSTAL and not delivery_address.strip():
        raise ValidationError(_("Nhận kết quả qua bưu chính cần địa chỉ nhận."))


# --- files and transactions --------------------------------------------------------------------
#
# A file is not part of the database transaction, so the services keep the two in step by hand:
#
# - Writing: a file is written to storage at once (its row needs the name, and later steps of the same
#   request read it), and its name is remembered by the innermost `atomic_with_files()` block. Django
#   has no "on rollback" hook, so the block itself catches the exception that rolls it back and deletes
#   the files written inside it; a block that succeeds hands its names to the enclosing one, because
#   only the outermost block's outcome is final (a savepoint that rolls back while the transaction goes
#   on deletes its own files, nothing else). Every service runs in such a block; a caller that wraps
#   several services in one transaction must use `atomic_with_files()` too, not a bare
#   `transaction.atomic()`, or a rollback after the services returned would leave their files behind.
# - Deleting: a file is deleted only once the transaction has committed (`transaction.on_commit`), so
#   a rollback keeps the file that the restored row still names.

_files_written: ContextVar[list[str] | None] = ContextVar("dossier_files_written", default=None)


@contextmanager
def atomic_with_files() -> Iterator[None]:
    """`transaction.atomic()` that deletes the files written inside it if it does not commit."""
    parent = _files_written.get()
    names: list[str] = []
    token = _files_written.set(names)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        _delete_files(names)
        raise
    finally:
        _files_written.reset(token)
    if parent is not None:
        parent.extend(names)


def _delete_files(names: list[str]) -> None:
    storage = DossierDocument._meta.get_field("file").storage
    for name in names:
        # A leftover file (on disk or in the bucket) is better than hiding the error that rolled back.
        try:
            storage.delete(name)
        except (OSError, BotoCoreError, ClientError):
            logger.exception("Could not delete %s after a rollback", name)


def remember_written_file(name: str) -> None:
    """A file a service has just written outside `_store_file` (a signed result): deleted if the block rolls back."""
    written = _files_written.get()
    if written is not None:
        written.append(name)


def delete_file_on_commit(storage: Storage, name: str) -> None:
    """Delete a stored file once the current transaction commits (never if it rolls back)."""
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)


def check_component_files(procedure: Procedure, files_by_component: dict | None) -> list[tuple]:
    """The uploads grouped by component of `procedure` ({component id: [files]}), each file checked
    (type from the content, size) before anything is written: [(RequiredDocument, [CheckedUpload])]."""
    components = {document.pk: document for document in procedure.documents.all()}
    grouped = []
    for component_id, files in (files_by_component or {}).items():
        component = components.get(component_id)
        if component is None:
            raise ValidationError(_("Thành phần hồ sơ %(id)s không thuộc thủ tục này.") % {"id": component_id})
        files = [
            check_upload(uploaded, accepted_types=component.accepted_types_or_default, label=component.name)
            for uploaded in files
            if uploaded
        ]
        if files:
            grouped.append((component, files))
    return grouped


def store_files(
    *, dossier: Dossier, files: list[tuple[RequiredDocument | None, CheckedUpload]], kind: str, user
) -> list[DossierDocument]:
    """Write the checked uploads of one request, `[(component or None, upload)]`, once their volume passes the
    limits (`dossiers.uploads.check_upload_volume`: nothing is written when it does not). Every service that stores
    a request's files calls this once with all of them."""
    check_upload_volume(dossier=dossier, kind=kind, files=files)
    return [
        _store_file(dossier=dossier, upload=upload, required_document=component, kind=kind, user=user)
        for component, upload in files
    ]


def _store_file(
    *, dossier: Dossier, upload: CheckedUpload, required_document: RequiredDocument | None, kind: str, user
) -> DossierDocument:
    """Write a checked upload (`dossiers.uploads.check_upload`) and its row; the file is not read again."""
    document = DossierDocument(
        dossier=dossier,
        required_document=required_document,
        kind=kind,
        original_name=upload.name[:255],
        content_type=upload.content_type,
        size=upload.size,
        sha256=upload.sha256,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    document.file.save(f"{upload.sha256[:16]}.{upload.file_type}", upload.file, save=False)
    written = _files_written.get()
    if written is not None:
        written.append(document.file.name)
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
