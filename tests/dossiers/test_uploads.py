"""A file is read once on its way to storage (dossiers/uploads.py): the form field or the service that checks
it first hands on a CheckedUpload, which nothing reads again; every entry point refuses a bad file with the
same message before anything is written."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers import services, uploads
from dossiers.constants import DeliveryMethod, DocumentKind, DossierStatus
from dossiers.forms.citizen import SupplementForm
from dossiers.forms.files import MultipleFileField
from dossiers.models import DossierDocument
from tests.factories import ProcedureFactory, RequiredDocumentFactory, UserFactory, dossier_in_status, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """A private MEDIA_ROOT: other test runs write to the shared one at the same time."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def reads(monkeypatch):
    """The names of the files whose content was read (`check_upload` sniffs, sizes and hashes a file once)."""
    names = []
    sniff = uploads.sniff_file_type

    def counting(file):
        names.append(file.name)
        return sniff(file)

    monkeypatch.setattr(uploads, "sniff_file_type", counting)
    return names


@pytest.fixture
def component():
    procedure = ProcedureFactory(full_online=True)
    return RequiredDocumentFactory(procedure=procedure, name="Tờ khai", accepted_file_types=["pdf"])


def apply(component, files):
    return services.dossier_apply(
        applicant=UserFactory(citizen=True),
        procedure=component.procedure,
        client_token=uuid.uuid4(),
        form_data={},
        delivery_method=DeliveryMethod.COUNTER,
        files_by_component={component.pk: files},
        submit=False,
    )


def fake_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("to-khai.pdf", b"khong phai PDF\n" * 20, content_type="application/pdf")


def test_a_file_given_to_the_service_is_read_once(reads, component):
    # (the API and the counter intake hand raw uploads to the services)
    dossier = apply(component, [pdf_upload("to-khai.pdf")])

    document = dossier.documents.get()
    assert reads == ["to-khai.pdf"]
    assert document.content_type == "application/pdf" and len(document.sha256) == 64
    assert document.file.read().startswith(b"%PDF")


def test_a_file_checked_by_the_form_is_not_read_again_by_the_service(reads, component):
    field = MultipleFileField(accepted_types=component.accepted_types_or_default, label_for_messages=component.name)

    checked = field.clean([pdf_upload("to-khai.pdf")])
    dossier = apply(component, checked)

    assert [type(upload) for upload in checked] == [uploads.CheckedUpload]
    assert reads == ["to-khai.pdf"]
    assert dossier.documents.get().sha256 == checked[0].sha256


def test_a_supplement_checked_by_the_form_is_read_once():
    dossier, _officers = dossier_in_status(DossierStatus.SUPPLEMENT_REQUESTED)
    form = SupplementForm(data={"note": ""}, files={"muc_0": [pdf_upload("bo-sung.pdf")]}, items=[("CCCD", ["pdf"])])
    assert form.is_valid(), form.errors

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uploads, "sniff_file_type", lambda file: pytest.fail(f"{file.name} read again"))
        services.dossier_supplement(dossier=dossier, user=dossier.applicant, files_by_item=form.files_by_item())

    assert dossier.documents.filter(kind=DocumentKind.SUPPLEMENT).count() == 1


def test_the_form_and_the_service_refuse_a_bad_file_with_the_same_message(component):
    field = MultipleFileField(accepted_types=component.accepted_types_or_default, label_for_messages=component.name)

    with pytest.raises(ValidationError) as by_form:
        field.clean([fake_pdf()])
    with pytest.raises(ValidationError) as by_service:
        apply(component, [fake_pdf()])

    assert by_form.value.messages == by_service.value.messages
    assert by_form.value.messages == ["Tệp “to-khai.pdf” (Tờ khai) không đúng định dạng: nội dung tệp không phải PDF."]
    assert not DossierDocument.objects.exists()


def test_a_checked_upload_is_still_held_against_the_types_its_component_accepts(reads):
    # Given a PDF checked for a field that takes PDFs, handed to a component that takes JPEG only
    procedure = ProcedureFactory(full_online=True)
    scans = RequiredDocumentFactory(procedure=procedure, name="Ảnh", accepted_file_types=["jpg"])
    checked = MultipleFileField(accepted_types=["pdf"], label_for_messages="Ảnh").clean([pdf_upload("anh.pdf")])

    # Then the service refuses it without reading it again, and writes nothing
    with pytest.raises(ValidationError, match="không phải JPG"):
        apply(scans, checked)
    assert reads == ["anh.pdf"]
    assert not DossierDocument.objects.exists()
