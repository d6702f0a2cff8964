from django.conf import settings
from django.db import migrations, models, transaction
from django.db.models import OuterRef, Subquery

# The statuses whose clock ran when this was written (dossiers.constants.CLOCK_RUNNING_STATUSES).
CLOCK_RUNNING = ["received", "processing", "awaiting_approval"]
BATCH = 2000


def _share_of(allowed, share):
    return allowed * round(share * 1000) / 1000


def _at_risk_after(*, status, received_at, due_at, step_started_at):
    """dossiers.deadlines.steps.at_risk_after as it was written with this migration (a copy: later changes to it must
    not change what this migration did)."""
    if status not in CLOCK_RUNNING or received_at is None or due_at is None:
        return None
    allowed = due_at - received_at
    moment = due_at - _share_of(allowed, settings.DEADLINE_RISK_SHARE)
    share = settings.STEP_TIME_SHARES.get(status)
    if share is not None:
        step_end = received_at if step_started_at is None else step_started_at + _share_of(allowed, share)
        moment = min(moment, step_end)
    return moment


def fill_at_risk_after(apps, schema_editor):
    """The moment each dossier whose clock runs becomes at risk, from its last entry into its status (a few
    thousand rows of a million: the others keep null), a batch per transaction: the migration is not atomic, so
    that the table is not locked while the moments are computed."""
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierEvent = apps.get_model("dossiers", "DossierEvent")
    entries = (
        DossierEvent.objects.filter(dossier_id=OuterRef("pk"), to_status=OuterRef("status"))
        .exclude(from_status=OuterRef("status"))
        .order_by("-created_at", "-id")
    )
    ids = list(Dossier.objects.filter(status__in=CLOCK_RUNNING).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            running = (
                Dossier.objects.filter(pk__in=ids[start : start + BATCH], status__in=CLOCK_RUNNING)
                .annotate(entered_at=Subquery(entries.values("created_at")[:1]))
                .only("pk", "status", "received_at", "due_at")
            )
            changed = []
            for dossier in running:
                dossier.at_risk_after = _at_risk_after(
                    status=dossier.status,
                    received_at=dossier.received_at,
                    due_at=dossier.due_at,
                    step_started_at=dossier.entered_at,
                )
                changed.append(dossier)
            Dossier.objects.bulk_update(changed, ["at_risk_after"])


class Migration(migrations.Migration):
    # Not atomic: the fill commits a batch at a time (the table is never locked for its minute at 1,000,000 dossiers)
    # and may be run again (it recomputes every running dossier); the in-flight index is rebuilt last, so queue pages
    # go without it only while it builds.
    atomic = False

    dependencies = [("dossiers", "0019_dossier_at_risk_after")]

    operations = [
        migrations.RunPython(fill_at_risk_after, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="dossier", name="dossier_in_flight"),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(
                    (
                        "status__in",
                        (
                            "submitted",
                            "received",
                            "supplement_requested",
                            "payment_requested",
                            "processing",
                            "awaiting_approval",
                            "result_ready",
                        ),
                    )
                ),
                fields=["agency", "status", "due_at"],
                include=("assignee", "at_risk_after"),
                name="dossier_in_flight",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("at_risk_after__isnull", False)),
                fields=["agency", "due_at"],
                include=("at_risk_after",),
                name="dossier_at_risk",
            ),
        ),
    ]
