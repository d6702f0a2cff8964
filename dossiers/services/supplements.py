"""Supplements per requested item: what the office may name in a request, and the reminder before its deadline.

A request lists items, each a required document of the procedure or a line the officer wrote
(`SupplementRequest.items`, with `item_components` beside them); the applicant answers each item with its own files
(`DossierDocument.supplement_item`) by the request's `respond_by` date, and is reminded
settings.SUPPLEMENT_REMINDER_DAYS before it, once (`reminded_at`, set in the transaction that queues the message).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from procedures.models import RequiredDocument

from ..constants import DossierStatus
from ..models import Dossier, SupplementRequest
from .core import notify_applicant

REMINDER_BATCH_SIZE = 200


def requested_components(dossier: Dossier, component_ids) -> list[RequiredDocument]:
    """The procedure's required documents a request names, in the procedure's order; an id of another procedure's
    document is refused."""
    ids = {int(pk) for pk in component_ids}
    if not ids:
        return []
    components = list(RequiredDocument.objects.filter(procedure_id=dossier.procedure_id, pk__in=ids))
    if len(components) != len(ids):
        raise ValidationError(_("Giấy tờ cần bổ sung phải là thành phần hồ sơ của thủ tục này."))
    return sorted(components, key=lambda c: (c.position, c.pk))


def open_supplement_requests_due(*, now: datetime):
    """Open requests of dossiers still waiting for the supplement whose deadline is within the reminder's reach and
    that were not reminded yet."""
    horizon = timezone.localdate(now) + timedelta(days=settings.SUPPLEMENT_REMINDER_DAYS)
    return SupplementRequest.objects.filter(
        answered_at__isnull=True,
        cancelled_at__isnull=True,
        reminded_at__isnull=True,
        respond_by__isnull=False,
        respond_by__lte=horizon,
        respond_by__gte=timezone.localdate(now),
        dossier__status=DossierStatus.SUPPLEMENT_REQUESTED,
    )


def supplement_reminders_send(*, now: datetime) -> int:
    """Remind each applicant whose supplement is due soon, once per request: the rows are locked (SKIP LOCKED, so two
    runs at once share the work) and marked in the transaction that queues the message. Returns how many."""
    sent = 0
    with transaction.atomic():
        due = list(
            open_supplement_requests_due(now=now)
            .select_related("dossier")
            .select_for_update(of=("self",), skip_locked=True)
            .order_by("respond_by", "id")[:REMINDER_BATCH_SIZE]
        )
        for request in due:
            notify_applicant(
                request.dossier,
                subject=gettext_lazy("Nhắc hạn bổ sung hồ sơ %(code)s"),
                body=gettext_lazy("Hạn bổ sung hồ sơ là ngày %(respond_by)s. Giấy tờ cần bổ sung: %(items)s."),
                params={"respond_by": date_format(request.respond_by, "d/m/Y"), "items": "; ".join(request.items)},
            )
            sent += 1
        SupplementRequest.objects.filter(pk__in=[request.pk for request in due]).update(reminded_at=now)
    return sent
