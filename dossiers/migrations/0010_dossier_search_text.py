"""The officer's search line (dossiers/search.py): the column, filled for the dossiers there are, and on PostgreSQL
a trigram index that answers "contains" (the pg_trgm extension; SQLite scans, which `make run`'s few rows allow)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from dossiers.search import search_text_for

BATCH = 2000


def fill_search_text(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    fields = ("id", "code", "applicant_name", "applicant_id_number", "applicant_phone")
    batch = []
    for dossier in Dossier.objects.only(*fields).order_by("id").iterator(chunk_size=BATCH):
        dossier.search_text = search_text_for(
            code=dossier.code,
            name=dossier.applicant_name,
            id_number=dossier.applicant_id_number,
            phone=dossier.applicant_phone,
        )
        batch.append(dossier)
        if len(batch) == BATCH:
            Dossier.objects.bulk_update(batch, ["search_text"])
            batch = []
    Dossier.objects.bulk_update(batch, ["search_text"])


TRIGRAM_INDEX = "dossier_search_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {TRIGRAM_INDEX} ON dossiers_dossier USING gin (search_text gin_trgm_ops)")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0009_pending_uploads"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        TrigramExtension(),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
