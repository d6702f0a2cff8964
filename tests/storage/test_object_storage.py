"""Every file the portal keeps, in a real S3 bucket (SeaweedFS, tests/storage/conftest.py): written through
Django's storage API, served only after the permission check (streamed by the portal), a draft's removed file
deleted from the bucket after the commit and never before, a missing object a clear page and a store that does
not answer a 503, never a 500."""

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from config.settings.storage import s3_storage
from dossiers import services
from dossiers.constants import DossierStatus as S
from dossiers.models import DossierDocument
from tests.factories import RequiredDocumentFactory, UserFactory, dossier_in_status, pdf_upload

pytestmark = pytest.mark.django_db


def object_exists(client, bucket: str, name: str) -> bool:
    return client.list_objects_v2(Bucket=bucket, Prefix=name)["KeyCount"] == 1


def object_bytes(client, bucket: str, name: str) -> bytes:
    return client.get_object(Bucket=bucket, Key=name)["Body"].read()


def download(http, url: str) -> bytes:
    response = http.get(url)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def test_an_applicants_file_goes_to_the_bucket_and_only_those_who_may_open_the_dossier_download_it(s3_files, client):
    s3, bucket = s3_files
    dossier, officers = dossier_in_status(S.SUBMITTED)
    document = dossier.documents.get()
    url = reverse("dossiers:document-download", args=[dossier.pk, document.pk])

    # The object is in the bucket under the name the database keeps, with the bytes the applicant sent.
    assert object_bytes(s3, bucket, document.file.name).startswith(b"%PDF")

    for allowed in (dossier.applicant, officers["reception"]):
        client.force_login(allowed)
        assert download(client, url) == object_bytes(s3, bucket, document.file.name)
    client.force_login(UserFactory(citizen=True))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(reception_officer=True))  # another agency's officer
    assert client.get(url).status_code == 404


def test_the_result_and_its_signed_pdf_go_to_the_bucket_and_download_from_it(s3_files, client):
    s3, bucket = s3_files
    dossier, _officers = dossier_in_status(S.RESULT_READY)
    result = dossier.results.get()
    assert object_exists(s3, bucket, result.source_file.name)
    assert object_exists(s3, bucket, result.signed_file.name)

    client.force_login(dossier.applicant)
    body = download(client, reverse("dossiers:result-download", args=[dossier.pk, result.pk]))
    assert body == object_bytes(s3, bucket, result.signed_file.name)


def test_a_procedures_blank_form_is_served_from_the_bucket(s3_files, client):
    s3, bucket = s3_files
    document = RequiredDocumentFactory(name="Tờ khai")
    document.template.save("to-khai.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))

    url = reverse("procedures:document-template", args=[document.procedure.code, document.pk])
    assert download(client, url) == object_bytes(s3, bucket, document.template.name)


def test_a_drafts_removed_file_leaves_the_bucket_after_the_commit_never_before(
    s3_files, django_capture_on_commit_callbacks
):
    s3, bucket = s3_files
    dossier, _officers = dossier_in_status(S.DRAFT)
    component = dossier.procedure.documents.get()
    [document] = services.dossier_add_documents(
        dossier=dossier, applicant=dossier.applicant, required_document=component, files=[pdf_upload()]
    )
    name = document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_remove_document(dossier=dossier, applicant=dossier.applicant, document_id=document.pk)
        assert object_exists(s3, bucket, name)  # the removal has not committed yet

    assert not object_exists(s3, bucket, name)
    assert not DossierDocument.objects.filter(pk=document.pk).exists()


def test_a_removal_rolled_back_keeps_the_object(s3_files, django_capture_on_commit_callbacks):
    s3, bucket = s3_files
    dossier, _officers = dossier_in_status(S.DRAFT)
    component = dossier.procedure.documents.get()
    [document] = services.dossier_add_documents(
        dossier=dossier, applicant=dossier.applicant, required_document=component, files=[pdf_upload()]
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.dossier_remove_document(dossier=dossier, applicant=dossier.applicant, document_id=document.pk)
            raise RuntimeError("rolled back")

    assert callbacks == []
    assert object_exists(s3, bucket, document.file.name)


def test_an_application_rolled_back_takes_its_objects_out_of_the_bucket(s3_files):
    s3, bucket = s3_files
    dossier, _officers = dossier_in_status(S.DRAFT)
    component = dossier.procedure.documents.get()
    written = []

    with pytest.raises(RuntimeError), services.atomic_with_files():
        [document] = services.dossier_add_documents(
            dossier=dossier, applicant=dossier.applicant, required_document=component, files=[pdf_upload()]
        )
        written.append(document.file.name)
        assert object_exists(s3, bucket, document.file.name)
        raise RuntimeError("the request fails after the service returned")

    assert not object_exists(s3, bucket, written[0])


def test_an_object_missing_from_the_bucket_is_a_clear_page_not_a_500(s3_files, client):
    s3, bucket = s3_files
    dossier, _officers = dossier_in_status(S.SUBMITTED)
    document = dossier.documents.get()
    s3.delete_object(Bucket=bucket, Key=document.file.name)  # lost behind the portal's back

    client.force_login(dossier.applicant)
    response = client.get(reverse("dossiers:document-download", args=[dossier.pk, document.pk]))

    assert response.status_code == 404
    assert "Tệp này không còn trong kho lưu trữ" in response.content.decode()


def test_a_store_that_does_not_answer_is_a_503_not_a_500(s3_files, settings, client):
    dossier, _officers = dossier_in_status(S.SUBMITTED)
    document = dossier.documents.get()
    client.force_login(dossier.applicant)
    # Nothing listens on port 9 of the loopback: every connection is refused.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(endpoint_url="http://127.0.0.1:9", bucket="portal", access_key="k", secret_key="s"),
    }

    response = client.get(reverse("dossiers:document-download", args=[dossier.pk, document.pk]))

    assert response.status_code == 503
    assert response["Retry-After"]


def test_the_node_is_ready_while_the_bucket_answers_and_not_ready_when_the_store_is_down(s3_files, settings, client):
    assert (client.get("/readyz").status_code, client.get("/readyz").json()) == (200, {"status": "ok"})

    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(endpoint_url="http://127.0.0.1:9", bucket="portal", access_key="k", secret_key="s"),
    }

    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failed": ["storage"]}
