"""Blank form templates of required documents: administrators may upload PDF, DOCX or XLSX only (read from the
content, size-limited); the public download says what the content is and forbids the browser to guess."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import FileField
from django.urls import reverse

from procedures.models import RequiredDocument
from tests.factories import ProcedureFactory, RequiredDocumentFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40
WRONG_TYPE = "Tệp mẫu phải là PDF, Word (DOCX) hoặc Excel (XLSX): nội dung tệp không phải các định dạng này."
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def office_file(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX = office_file("[Content_Types].xml", "word/document.xml")
XLSX = office_file("[Content_Types].xml", "xl/workbook.xml")


def change_url(procedure) -> str:
    return reverse("admin:procedures_procedure_change", args=[procedure.pk])


def download_url(document) -> str:
    return reverse("procedures:document-template", args=[document.procedure.code, document.pk])


def admin_post_data(client, procedure) -> dict:
    """The procedure's admin form as a browser would post it back unchanged (no file chosen)."""
    response = client.get(change_url(procedure))
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False or isinstance(form.fields[name], FileField):
                continue
            data[form.add_prefix(name)] = value
    return data


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    """Files of this module only, so a name left by an earlier run never gets a suffix."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def document(agency_admin):
    procedure = ProcedureFactory(agency=agency_admin.agency)
    return RequiredDocumentFactory(procedure=procedure, name="Tờ khai")


def upload(client, document, name: str, content: bytes):
    data = admin_post_data(client, document.procedure)
    data["documents-0-template"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(change_url(document.procedure), data)


def inline_errors(response) -> list[str]:
    return [
        str(message)
        for form in response.context["inline_admin_formsets"][0].formset.forms
        for message in form.errors.get("template", [])
    ]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("to-khai.pdf", PDF, "application/pdf"), ("to-khai.docx", DOCX, DOCX_TYPE), ("bang-ke.xlsx", XLSX, XLSX_TYPE)],
)
def test_an_administrator_uploads_a_template_and_everyone_downloads_it(
    client, agency_admin, document, name, content, content_type
):
    # Given an agency administrator uploading a real PDF, DOCX or XLSX form
    client.force_login(agency_admin)
    response = upload(client, document, name, content)
    assert response.status_code == 302, response.context and inline_errors(response)
    document.refresh_from_db()
    assert document.template.name.endswith(name)

    # When anyone downloads it
    client.logout()
    download = client.get(download_url(document))

    # Then it comes as an attachment with the type of its content, and the browser may not guess another
    assert download.status_code == 200
    assert download["Content-Type"] == content_type
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == content


@pytest.mark.parametrize(
    ("name", "content"),
    [("to-khai.pdf", HTML), ("to-khai.html", HTML), ("anh.pdf", PNG), ("nen.zip", office_file("a.txt"))],
)
def test_a_template_that_is_not_pdf_docx_or_xlsx_is_refused(client, agency_admin, document, name, content):
    client.force_login(agency_admin)

    response = upload(client, document, name, content)

    assert response.status_code == 200
    assert inline_errors(response) == [WRONG_TYPE]
    document.refresh_from_db()
    assert not document.template


def test_a_template_over_the_size_limit_is_refused(client, agency_admin, document, settings):
    settings.PROCEDURE_TEMPLATE_MAX_BYTES = 1024 * 1024
    client.force_login(agency_admin)

    response = upload(client, document, "to-khai.pdf", PDF + b"0" * (1024 * 1024))

    assert response.status_code == 200
    assert inline_errors(response) == ["Tệp mẫu lớn hơn 1 MB cho phép."]
    document.refresh_from_db()
    assert not document.template


def test_an_empty_template_is_refused(client, agency_admin, document):
    client.force_login(agency_admin)

    response = upload(client, document, "to-khai.pdf", b"")

    # Django's own form field refuses an empty upload first, in Vietnamese too
    assert response.status_code == 200
    assert inline_errors(response)
    document.refresh_from_db()
    assert not document.template


def test_the_validator_refuses_a_disguised_file_on_full_clean(document):
    document.template = SimpleUploadedFile("to-khai.pdf", HTML)

    with pytest.raises(ValidationError) as refused:
        document.full_clean()

    assert refused.value.message_dict["template"] == [WRONG_TYPE]


def test_a_stored_template_is_not_checked_again_when_other_fields_change(client, agency_admin, document):
    # Given a template stored before uploads were checked (HTML), and the administrator renaming the document
    document.template.save("cu.pdf", ContentFile(HTML), save=True)
    client.force_login(agency_admin)
    data = admin_post_data(client, document.procedure)
    data["documents-0-name"] = "Tờ khai (mẫu mới)"

    response = client.post(change_url(document.procedure), data)

    # Then the change is saved (the old file is not read again)
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.name == "Tờ khai (mẫu mới)"


def test_a_stored_file_of_another_type_is_served_as_plain_bytes(client, document):
    # Given an HTML page stored as a template before uploads were checked
    document.template.save("cu.pdf", ContentFile(HTML), save=True)

    response = client.get(download_url(document))

    # Then it is never served as a page the browser would render
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_missing_file_is_404(client, document):
    RequiredDocument.objects.filter(pk=document.pk).update(template="procedure-templates/0/khong-co.pdf")

    assert client.get(download_url(document)).status_code == 404
