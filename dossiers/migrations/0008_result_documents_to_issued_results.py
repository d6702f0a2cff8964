"""The result documents proposed before issue 9 (DossierDocument of kind "result", listed with the applicant's files)
become the unsigned source of an IssuedResult awaiting its signature; the file stays where it is. A dossier approved
before then gets its signed result when the approver replaces it (dossier_replace_result)."""

from django.db import migrations

RESULT_KIND = "result"


def documents_to_results(apps, schema_editor):
    DossierDocument = apps.get_model("dossiers", "DossierDocument")
    IssuedResult = apps.get_model("dossiers", "IssuedResult")
    for document in DossierDocument.objects.filter(kind=RESULT_KIND).order_by("dossier_id", "-id"):
        if IssuedResult.objects.filter(dossier_id=document.dossier_id).exists():
            continue  # only the latest proposal counts
        IssuedResult.objects.create(
            dossier_id=document.dossier_id,
            status="proposed",
            source_file=document.file.name,
            source_name=document.original_name,
            source_sha256=document.sha256,
            proposed_by_id=document.uploaded_by_id,
        )
    DossierDocument.objects.filter(kind=RESULT_KIND).delete()


def results_to_documents(apps, schema_editor):
    DossierDocument = apps.get_model("dossiers", "DossierDocument")
    IssuedResult = apps.get_model("dossiers", "IssuedResult")
    for result in IssuedResult.objects.filter(status="proposed"):
        DossierDocument.objects.create(
            dossier_id=result.dossier_id,
            kind=RESULT_KIND,
            file=result.source_file.name,
            original_name=result.source_name,
            content_type="application/pdf",
            size=result.source_file.size if result.source_file.storage.exists(result.source_file.name) else 0,
            sha256=result.source_sha256,
            uploaded_by_id=result.proposed_by_id,
        )
    IssuedResult.objects.filter(status="proposed").delete()


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0007_issued_results")]

    operations = [migrations.RunPython(documents_to_results, results_to_documents)]
