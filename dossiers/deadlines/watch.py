"""The deadline watch: remind before the due date, flag and escalate after it.

Run every 15 minutes by Celery beat (`dossiers.tasks.watch_deadlines`). Only dossiers whose clock runs
are watched, by the conditions of the queues (`conditions.py`):

- due soon: the due date falls within one working day from now → the assignee is reminded (without an
  active assignee, the agency's officers of `DUE_SOON_FALLBACK_ROLE`, the reception officers, who hold the
  dossier at that stage);
- overdue: the due date has passed → the dossier is flagged (`overdue_flagged_at`) and the agency's
  supervisors (`OVERDUE_ALERTED_ROLE`, its approvers) are told.

Each happens at most once per dossier and kind, also when two watches run at the same time: a batch of
candidates is locked with `SELECT ... FOR UPDATE SKIP LOCKED` and claimed by setting the timestamp in
the same transaction as the outbox messages, so a second watch either skips the locked rows or, once the
first has committed, no longer finds them (PostgreSQL re-checks the condition on the new row version).
The outbox dedupe keys (`due-soon:<dossier>:<user>`, `overdue:<dossier>:<user>`) are a second guard.
Candidates are read in batches of ids (keyset on due date and id, along the partial index of dossiers
whose clock runs), so a million dossiers never load at once.
"""

from collections import defaultdict
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from portal.constants import Role
from portal.models import OutboxMessage
from portal.notifications import outbox_enqueue
from portal.text import short_datetime

from ..models import Dossier
from .conditions import due_soon_condition, due_soon_horizon, overdue_condition

BATCH_SIZE = 500

# Who is told: of a dossier due soon, its active assignee, else the agency's officers of this role; of an
# overdue one, the agency's officers of that role.
DUE_SOON_FALLBACK_ROLE = Role.RECEPTION_OFFICER
OVERDUE_ALERTED_ROLE = Role.APPROVER


def due_soon_assignee(dossier: Dossier):
    """The assignee reminded of a dossier due soon, or None when the agency's DUE_SOON_FALLBACK_ROLE
    officers are reminded instead (no assignee, or one no longer active)."""
    if dossier.assignee is not None and dossier.assignee.is_active:
        return dossier.assignee
    return None


def deadline_watch(*, now: datetime, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Send the due-soon reminders and the overdue alerts that are due at `now`.

    Returns how many dossiers were alerted of each kind by this run.
    """
    horizon = due_soon_horizon(now=now)
    due_soon = _watch(
        condition=due_soon_condition(now=now, horizon=horizon) & Q(due_soon_alerted_at__isnull=True),
        claim_field="due_soon_alerted_at",
        now=now,
        batch_size=batch_size,
        notify=_remind_due_soon,
    )
    overdue = _watch(
        condition=overdue_condition(now=now) & Q(overdue_flagged_at__isnull=True),
        claim_field="overdue_flagged_at",
        now=now,
        batch_size=batch_size,
        notify=_alert_overdue,
    )
    return {"due_soon": due_soon, "overdue": overdue}


def _watch(*, condition: Q, claim_field: str, now: datetime, batch_size: int, notify) -> int:
    """Claim and notify the dossiers matching `condition`, one batch of ids at a time.

    Batches follow (due_at, id), the order of the partial index `dossier_clock_running_due`, so each
    candidate query reads a short range of that index (ordering by id alone let PostgreSQL walk the
    primary key through the whole table looking for matches that were not there).
    """
    claimed_total, after = 0, None
    while True:
        candidates = Dossier.objects.filter(condition)
        if after is not None:
            candidates = candidates.filter(Q(due_at__gt=after[0]) | Q(due_at=after[0], pk__gt=after[1]))
        batch = list(candidates.order_by("due_at", "pk").values_list("due_at", "pk")[:batch_size])
        if not batch:
            return claimed_total
        after = batch[-1]
        with transaction.atomic():
            # Lock what is still unclaimed. Rows locked elsewhere are skipped: by another watch, which
            # alerts them; by a transition in progress, in which case the next run sees them again.
            dossiers = list(
                Dossier.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(condition, pk__in=[pk for _due, pk in batch])
                .select_related("agency", "procedure", "assignee")
                .order_by("pk")
            )
            if not dossiers:
                continue
            Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).update(**{claim_field: now})
            notify(dossiers, now=now)
        claimed_total += len(dossiers)


def _agency_officers(dossiers: list[Dossier], role: Role) -> dict[int, list]:
    """Active users with `role` in the agencies of `dossiers`, by agency id (one query)."""
    by_agency = defaultdict(list)
    users = (
        get_user_model()
        .objects.filter(agency_id__in={d.agency_id for d in dossiers}, groups__name=role, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .distinct()
    )
    for user in users:
        by_agency[user.agency_id].append(user)
    return by_agency


def _facts(dossier: Dossier) -> dict[str, str]:
    """What both alerts say of a dossier."""
    return {
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "applicant": dossier.applicant_name,
        "due": short_datetime(dossier.due_at),
    }


def _email(recipients, *, subject: str, body: str, kind: str, dossier: Dossier) -> None:
    """Queue one e-mail per recipient, deduplicated per dossier, person and `kind`."""
    for user in recipients:
        outbox_enqueue(
            channel=OutboxMessage.Channel.EMAIL,
            recipient=user.email,
            subject=subject,
            body=body,
            dedupe_key=f"{kind}:{dossier.pk}:{user.pk}",
        )


def _remind_due_soon(dossiers: list[Dossier], *, now: datetime) -> None:
    assignees = {dossier.pk: due_soon_assignee(dossier) for dossier in dossiers}
    unassigned = [d for d in dossiers if assignees[d.pk] is None]
    fallback = _agency_officers(unassigned, DUE_SOON_FALLBACK_ROLE) if unassigned else {}
    for dossier in dossiers:
        assignee = assignees[dossier.pk]
        recipients = [assignee] if assignee is not None else fallback.get(dossier.agency_id, [])
        subject = _("Hồ sơ %(code)s sắp đến hạn trả kết quả") % {"code": dossier.code}
        body = _(
            "Hồ sơ %(code)s (thủ tục “%(procedure)s”, người nộp %(applicant)s) đến hạn trả kết quả lúc "
            "%(due)s. Hãy hoàn thành xử lý trước thời hạn hoặc lập phiếu xin lỗi và hẹn lại."
        ) % _facts(dossier)
        _email(recipients, subject=subject, body=body, kind="due-soon", dossier=dossier)


def _alert_overdue(dossiers: list[Dossier], *, now: datetime) -> None:
    approvers = _agency_officers(dossiers, OVERDUE_ALERTED_ROLE)
    for dossier in dossiers:
        subject = _("Hồ sơ %(code)s đã quá hạn trả kết quả") % {"code": dossier.code}
        body = _(
            "Hồ sơ %(code)s (thủ tục “%(procedure)s”, người nộp %(applicant)s) đã quá hạn trả kết quả "
            "từ %(due)s. Chuyên viên xử lý: %(assignee)s."
        ) % {
            **_facts(dossier),
            "assignee": dossier.assignee.full_name if dossier.assignee else _("chưa phân công"),
        }
        _email(approvers.get(dossier.agency_id, []), subject=subject, body=body, kind="overdue", dossier=dossier)
