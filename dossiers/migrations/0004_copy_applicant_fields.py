"""Data: submitted dossiers get the applicant data fields they were filed under, and withdrawals made
while a supplement was awaited lose their leftover open request and resume status.

Dossiers submitted before 0003 did not keep their fields; the procedure's current list is the best
copy there is. Reverse: nothing to undo (0003's reverse drops the columns).
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    Procedure = apps.get_model("procedures", "Procedure")
    SupplementRequest = apps.get_model("dossiers", "SupplementRequest")
    Dossier.objects.exclude(status="draft").update(
        applicant_fields=Subquery(Procedure.objects.filter(pk=OuterRef("procedure_id")).values("applicant_fields")[:1])
    )
    withdrawn = Dossier.objects.filter(status="withdrawn")
    SupplementRequest.objects.filter(dossier__in=withdrawn, answered_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=Subquery(withdrawn.filter(pk=OuterRef("dossier_id")).values("finished_at")[:1])
    )
    withdrawn.exclude(resume_status="").update(resume_status="")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0003_applicant_fields_supplement_cancelled"),
        ("procedures", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
