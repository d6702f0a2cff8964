"""A refused application form keeps the files that passed their check (dossiers/services/pending.py) and sends the
reader to the first field in error."""

import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dossiers.models import Dossier, DossierDocument, PendingUpload
from dossiers.tasks import discard_stale_pending_uploads
from tests.factories import UserFactory, pdf_upload

from . import test_citizen_pages
from .test_citizen_pages import apply_url, components, files_for, form_data, page_text, png_upload

pytestmark = pytest.mark.django_db
procedure = test_citizen_pages.procedure  # the fixture: a procedure with three components


def refused_post(client, procedure, token, **files):
    """A submit whose declared data is wrong (no child's name) with files that pass their check."""
    data = {**form_data(token, action="submit", **{"data-ho_ten_con": ""}), **files_for(procedure, **files)}
    return client.post(apply_url(procedure), data)


def test_a_refused_form_keeps_the_chosen_files_and_the_next_request_stores_them(client, citizen, procedure):
    client.force_login(citizen)
    token = uuid.uuid4()

    response = refused_post(client, procedure, token, declaration=[pdf_upload("to-khai.pdf")], photo=[png_upload()])

    assert response.status_code == 200
    text = page_text(response)
    assert "đã chọn: to-khai.pdf" in text and "đã chọn: anh.png" in text
    assert "không cần chọn lại" in text
    assert not Dossier.objects.exists() and not DossierDocument.objects.exists()
    assert PendingUpload.objects.filter(client_token=token, applicant=citizen).count() == 2

    # The corrected form, sent without choosing the files again, is submitted with them.
    response = client.post(apply_url(procedure), form_data(token, action="submit"))

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.code
    declaration, photo, _other = components(procedure)
    stored = {(d.required_document_id, d.original_name) for d in dossier.documents.all()}
    assert stored == {(declaration.pk, "to-khai.pdf"), (photo.pk, "anh.png")}
    assert not PendingUpload.objects.exists()


def test_the_first_field_in_error_gets_focus_and_the_summary_links_to_it(client, citizen, procedure):
    client.force_login(citizen)

    text = page_text(refused_post(client, procedure, uuid.uuid4()))

    assert text.count("autofocus") == 1
    assert 'name="data-ho_ten_con"' in text.split("autofocus")[0].rsplit("<input", 1)[1]
    assert 'href="#id_data-ho_ten_con"' in text
    assert "js/form-errors.js" in text


def test_a_refused_file_is_not_kept_and_its_message_says_why(client, citizen, procedure):
    client.force_login(citizen)
    not_a_pdf = SimpleUploadedFile("gia.pdf", b"khong phai pdf", content_type="application/pdf")

    text = page_text(refused_post(client, procedure, uuid.uuid4(), declaration=[not_a_pdf], photo=[png_upload()]))

    assert "không đúng định dạng" in text
    assert list(PendingUpload.objects.values_list("original_name", flat=True)) == ["anh.png"]


def test_a_kept_file_can_be_taken_off_and_is_then_not_stored(client, citizen, procedure):
    client.force_login(citizen)
    token = uuid.uuid4()
    refused_post(client, procedure, token, declaration=[pdf_upload("to-khai.pdf")], photo=[png_upload()])
    kept = PendingUpload.objects.get(original_name="anh.png")

    response = client.post(apply_url(procedure), {**form_data(token), "remove_pending": str(kept.pk)})

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert list(dossier.documents.values_list("original_name", flat=True)) == ["to-khai.pdf"]
    assert not PendingUpload.objects.exists()


def test_another_applicant_can_neither_use_nor_take_off_kept_files(client, citizen, procedure):
    client.force_login(citizen)
    token = uuid.uuid4()
    refused_post(client, procedure, token, declaration=[pdf_upload("to-khai.pdf")])
    kept = PendingUpload.objects.get()
    other = UserFactory(citizen=True)
    client.force_login(other)

    # The same token in another account's request: refused as another applicant's form would be...
    response = client.post(apply_url(procedure), {**form_data(uuid.uuid4()), "remove_pending": str(kept.pk)})
    assert "Không tìm thấy tệp đã chọn cần bỏ" in page_text(client.get(response.url))
    # ...and the files of someone else's form never come with a request of this account.
    client.post(apply_url(procedure), form_data(token))
    assert PendingUpload.objects.filter(pk=kept.pk).exists()
    assert not DossierDocument.objects.exists()


def test_a_form_keeps_at_most_one_requests_worth_of_files(client, citizen, procedure, settings):
    settings.DOSSIER_REQUEST_MAX_FILES = 2
    client.force_login(citizen)
    token = uuid.uuid4()

    refused_post(client, procedure, token, declaration=[pdf_upload("a.pdf"), pdf_upload("b.pdf")])
    refused_post(client, procedure, token, declaration=[pdf_upload("c.pdf")])

    assert sorted(PendingUpload.objects.values_list("original_name", flat=True)) == ["a.pdf", "b.pdf"]


def test_an_applicant_cannot_fill_the_storage_with_new_form_tokens(client, citizen, procedure, settings):
    settings.DOSSIER_REQUEST_MAX_FILES = 1
    client.force_login(citizen)

    for name in ("a.pdf", "b.pdf", "c.pdf"):
        refused_post(client, procedure, uuid.uuid4(), declaration=[pdf_upload(name)])

    assert sorted(PendingUpload.objects.values_list("original_name", flat=True)) == ["a.pdf", "b.pdf"]
    # another applicant keeps its own
    other = UserFactory(citizen=True)
    client.force_login(other)
    refused_post(client, procedure, uuid.uuid4(), declaration=[pdf_upload("d.pdf")])
    assert PendingUpload.objects.filter(applicant=other).count() == 1


def test_the_hourly_job_discards_kept_files_of_forms_never_sent_again(
    client, citizen, procedure, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    refused_post(client, procedure, uuid.uuid4(), declaration=[pdf_upload("cu.pdf")])
    refused_post(client, procedure, uuid.uuid4(), declaration=[pdf_upload("moi.pdf")])
    old = PendingUpload.objects.get(original_name="cu.pdf")
    PendingUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    storage, name = old.file.storage, old.file.name

    with django_capture_on_commit_callbacks(execute=True):
        assert discard_stale_pending_uploads() == 1
    assert discard_stale_pending_uploads() == 0

    assert list(PendingUpload.objects.values_list("original_name", flat=True)) == ["moi.pdf"]
    assert not storage.exists(name)
