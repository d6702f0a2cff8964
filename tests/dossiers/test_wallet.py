"""The citizen's document wallet ("Kho dữ liệu"): its electronic results and the files it uploaded before, on a page
of its own; a component of a new application filled from it (the stored file checked again for type, hash and volume,
and the reuse recorded for the statistics); another citizen's document is a 404."""

import hashlib
import uuid

import pytest
from django.urls import reverse

from dossiers.constants import DocumentKind, DossierStatus
from dossiers.models import Dossier, DossierDocument
from tests.factories import ProcedureFactory, RequiredDocumentFactory, UserFactory, dossier_in_status

S = DossierStatus
pytestmark = pytest.mark.django_db
WALLET = reverse("dossiers:wallet")


@pytest.fixture
def citizen():
    return UserFactory(citizen=True)


@pytest.fixture
def licensed(citizen):
    """A dossier of `citizen` returned with its signed result (a licence), and its uploaded application file."""
    dossier, _officers = dossier_in_status(S.RETURNED, applicant=citizen)
    return dossier, dossier.results.get(), dossier.documents.get(kind=DocumentKind.APPLICATION)


@pytest.fixture
def second_procedure():
    procedure = ProcedureFactory()
    RequiredDocumentFactory(procedure=procedure, name="Giấy phép đã được cấp", accepted_file_types=["pdf"])
    return procedure


def apply(client, procedure, *, action="submit", **picks):
    component = procedure.documents.get()
    data = {
        "client_token": str(uuid.uuid4()),
        "action": action,
        "applicant_phone": "0912345678",
        "applicant_address": "12 Lê Lợi, Huế",
        "delivery_method": "counter",
        **{f"kho_{component.pk}": refs for refs in picks.values()},
    }
    return client.post(reverse("dossiers:apply", args=[procedure.code]), data), data["client_token"]


def test_the_wallet_lists_the_citizens_results_and_documents(client, citizen, licensed):
    dossier, result, document = licensed
    someone_else, _officers = dossier_in_status(S.RETURNED)
    client.force_login(citizen)

    response = client.get(WALLET)

    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("dossiers:result-download", args=[dossier.pk, result.pk]) in body
    assert reverse("dossiers:document-download", args=[dossier.pk, document.pk]) in body
    assert someone_else.code not in body
    assert [item.ref for item in response.context["results"]] == [f"result-{result.pk}"]


def test_the_wallet_is_for_signed_in_people(client):
    response = client.get(WALLET)

    assert response.status_code == 302 and reverse("portal:login") in response.url


def test_a_second_application_takes_the_result_from_the_wallet(client, citizen, licensed, second_procedure):
    _dossier, result, _document = licensed
    client.force_login(citizen)
    # The application page offers the result for the component that accepts PDF
    page = client.get(reverse("dossiers:apply", args=[second_procedure.code]) + "?moi=1")
    assert f'value="result-{result.pk}"' in page.content.decode()

    response, token = apply(client, second_procedure, result=f"result-{result.pk}")

    new = Dossier.objects.get(client_token=token)
    assert response.status_code == 302 and new.status == S.SUBMITTED
    taken = new.documents.get()
    assert taken.reused_result == result
    assert taken.sha256 == result.sha256
    with taken.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == result.sha256
    # counted for the statistics
    assert DossierDocument.objects.filter(reused_result__isnull=False).count() == 1


def test_a_document_uploaded_before_is_reused_too(client, citizen, licensed, second_procedure):
    _dossier, _result, document = licensed
    client.force_login(citizen)

    _response, token = apply(client, second_procedure, document=f"document-{document.pk}")

    assert Dossier.objects.get(client_token=token).documents.get().reused_document == document


def test_taking_another_citizens_document_is_a_404_and_saves_nothing(client, licensed, second_procedure):
    _dossier, result, document = licensed
    client.force_login(UserFactory(citizen=True))

    for ref in (f"result-{result.pk}", f"document-{document.pk}", "result-abc", "bogus"):
        response, token = apply(client, second_procedure, pick=ref)
        assert response.status_code == 404
        assert not Dossier.objects.filter(client_token=token).exists()


def test_a_wallet_file_of_the_wrong_type_for_the_component_is_refused(client, citizen, licensed):
    _dossier, result, _document = licensed
    photo_only = ProcedureFactory()
    RequiredDocumentFactory(procedure=photo_only, name="Ảnh chân dung", accepted_file_types=["jpg", "png"])
    client.force_login(citizen)

    page = client.get(reverse("dossiers:apply", args=[photo_only.code]) + "?moi=1")
    assert f"result-{result.pk}" not in page.content.decode()  # not offered
    response, token = apply(client, photo_only, result=f"result-{result.pk}")  # and refused when sent anyway

    assert response.status_code == 200
    assert "không đúng định dạng" in response.content.decode()
    assert not Dossier.objects.filter(client_token=token).exists()


def test_a_wallet_file_changed_on_disk_is_refused(client, citizen, licensed, second_procedure):
    _dossier, _result, document = licensed
    with open(document.file.path, "ab") as stored:
        stored.write(b"\n% changed\n")
    client.force_login(citizen)

    response, token = apply(client, second_procedure, document=f"document-{document.pk}")

    assert "đã khác lúc lưu" in response.content.decode()
    assert not Dossier.objects.filter(client_token=token).exists()


def test_a_reused_file_counts_toward_the_volume_limits(client, citizen, licensed, second_procedure, settings):
    _dossier, result, _document = licensed
    settings.DOSSIER_TOTAL_MAX_BYTES = 10  # smaller than any PDF
    client.force_login(citizen)

    response, token = apply(client, second_procedure, result=f"result-{result.pk}")

    assert "Một hồ sơ được lưu tối đa" in response.content.decode()
    assert not Dossier.objects.filter(client_token=token).exists()
