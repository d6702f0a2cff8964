"""How much a request, a dossier and an applicant may upload (dossiers/uploads.py `check_upload_volume`, the settings
of config/settings/base.py), and what Django itself refuses before a view runs (too many files, a body too large:
portal/errors.py, portal.middleware.RequestBodyLimitMiddleware). Each limit answers the same Vietnamese refusal on
the page and in the API (400 `{"code", "detail"}`), and nothing of the refused request is kept: no dossier, no
document row, no file on disk."""

import http.client
import json
import uuid

import pytest
from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory
from django.urls import reverse
from fpdf import FPDF
from rest_framework.test import APIClient

from dossiers import services
from dossiers.constants import Channel, DeliveryMethod, DocumentKind, DossierStatus, Outcome
from dossiers.models import Dossier, DossierDocument
from portal.errors import bad_request
from tests.factories import (
    ProcedureFactory,
    RequiredDocumentFactory,
    UserFactory,
    dossier_in_status,
    pdf_bytes,
    pdf_upload,
)

pytestmark = pytest.mark.django_db

KB = 1024
MB = 1024 * KB
LIST_URL = "/api/v1/dossiers/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """A private MEDIA_ROOT, so the files on disk can be counted (other runs write to the shared one)."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def limits(settings):
    """Limits small enough for a test: 1 MB a request, 2 MB a dossier, 3 MB an applicant (files of 600 KB)."""
    settings.DOSSIER_UPLOAD_MAX_BYTES = 1 * MB
    settings.DOSSIER_REQUEST_MAX_BYTES = 1 * MB
    settings.DOSSIER_TOTAL_MAX_BYTES = 2 * MB
    settings.USER_STORAGE_QUOTA_BYTES = 3 * MB
    return settings


@pytest.fixture
def procedure(agency):
    procedure = ProcedureFactory(agency=agency, full_online=True, delivers_at_counter=True)
    RequiredDocumentFactory(procedure=procedure, name="Tờ khai", accepted_file_types=["pdf"])
    RequiredDocumentFactory(procedure=procedure, name="Giấy tờ khác", is_required=False, accepted_file_types=["pdf"])
    return procedure


def pdf_of(size: int, name: str = "ban-quet.pdf") -> SimpleUploadedFile:
    """A PDF (by its content) of `size` bytes."""
    head = b"%PDF-1.4\n"
    return SimpleUploadedFile(name, head + b"0" * (size - len(head)), content_type="application/pdf")


def signable_pdf_of(size: int) -> SimpleUploadedFile:
    """A real PDF (a result must be readable to be signed) of about `size` bytes: padded in its keywords."""
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=14)
    document.cell(text="Ket qua")
    document.set_keywords("0" * (size - len(pdf_bytes())))
    return SimpleUploadedFile("ket-qua.pdf", bytes(document.output()))


def files_on_disk(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


# --- the application: the page and the API ------------------------------------------------------------


def apply_page(client, procedure, files_by_component: dict):
    """POST the apply page (save a draft) with `{component: [files]}`."""
    data = {
        "client_token": str(uuid.uuid4()),
        "action": "save",
        "applicant_phone": "0912345678",
        "applicant_address": "12 Lê Lợi, Huế",
        "delivery_method": DeliveryMethod.COUNTER,
    }
    data.update({f"doc_{component.pk}": files for component, files in files_by_component.items()})
    return client.post(reverse("dossiers:apply", args=[procedure.code]), data)


def apply_api(user, procedure, files_by_component: dict):
    data = {
        "procedure": procedure.code,
        "form_data": json.dumps({}),
        "delivery_method": DeliveryMethod.COUNTER,
        **{f"document_{component.pk}": files for component, files in files_by_component.items()},
    }
    return client_for(user).post(LIST_URL, data, format="multipart", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))


def components(procedure):
    return list(procedure.documents.order_by("position", "id"))


REQUEST_REFUSAL = (
    "Các tệp gửi một lần được tối đa 1 MB; các tệp đã chọn nặng 1,2 MB. Hãy gửi bớt tệp hoặc giảm dung lượng "
    "(ví dụ quét ở độ phân giải thấp hơn)."
)


def test_a_request_over_its_megabytes_is_refused_on_the_page_and_nothing_is_kept(
    client, citizen, procedure, limits, media_root
):
    # Given two files of 600 KB, each under the 1 MB a file may weigh, in one request of at most 1 MB
    declaration, other = components(procedure)
    client.force_login(citizen)

    response = apply_page(client, procedure, {declaration: [pdf_of(600 * KB)], other: [pdf_of(600 * KB)]})

    assert response.status_code == 200
    assert REQUEST_REFUSAL in response.content.decode()
    assert not Dossier.objects.exists() and not DossierDocument.objects.exists()
    assert files_on_disk(media_root) == []


def test_a_request_over_its_megabytes_is_refused_by_the_api_and_nothing_is_kept(citizen, procedure, limits, media_root):
    declaration, other = components(procedure)

    response = apply_api(citizen, procedure, {declaration: [pdf_of(600 * KB)], other: [pdf_of(600 * KB)]})

    assert response.status_code == 400
    assert response.json() == {"code": "request_too_large", "detail": REQUEST_REFUSAL}
    assert not Dossier.objects.exists() and not DossierDocument.objects.exists()
    assert files_on_disk(media_root) == []


def test_a_request_within_every_limit_is_kept(client, citizen, procedure, limits, media_root):
    declaration, other = components(procedure)
    client.force_login(citizen)

    apply_page(client, procedure, {declaration: [pdf_of(500 * KB)], other: [pdf_of(500 * KB)]})
    response = apply_api(citizen, procedure, {declaration: [pdf_of(900 * KB)]})

    assert response.status_code == 201, response.content
    assert DossierDocument.objects.count() == 3
    assert len(files_on_disk(media_root)) == 3


def test_more_files_for_one_component_than_allowed_are_refused_by_the_api(citizen, procedure, settings):
    # (the page's file field refuses them itself, next to the field)
    settings.DOSSIER_COMPONENT_MAX_FILES = 2
    declaration, _other = components(procedure)

    response = apply_api(citizen, procedure, {declaration: [pdf_upload(), pdf_upload(), pdf_upload()]})

    assert response.status_code == 400
    assert response.json() == {
        "code": "too_many_files",
        "detail": "Mỗi lần chỉ tải lên tối đa 2 tệp cho một mục; “Tờ khai” có 3 tệp.",
    }
    assert not Dossier.objects.exists()


# --- the dossier's total, across supplements -----------------------------------------------------------


@pytest.fixture
def waiting_again(citizen, procedure, limits):
    """A dossier that took a first supplement of 1 MB and waits for a second one (asked during processing)."""
    dossier, officers = dossier_in_status(DossierStatus.SUPPLEMENT_REQUESTED, procedure=procedure, applicant=citizen)
    dossier = services.dossier_supplement(dossier=dossier, user=citizen, files=[pdf_of(1 * MB, "lan-1.pdf")])
    dossier = services.dossier_forward(dossier=dossier, officer=officers["reception"])
    dossier = services.dossier_take(dossier=dossier, officer=officers["processing"])
    dossier = services.dossier_request_supplement(dossier=dossier, officer=officers["processing"], items=["Bản vẽ"])
    return dossier


DOSSIER_REFUSAL = "Một hồ sơ được lưu tối đa 2 MB tệp; hồ sơ đã có 1,0 MB, các tệp mới nặng 1,0 MB."


def assert_still_waiting(dossier, media_root, files_before):
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
    assert list(dossier.documents.filter(kind=DocumentKind.SUPPLEMENT).values_list("original_name", flat=True)) == [
        "lan-1.pdf"
    ]
    assert len(files_on_disk(media_root)) == files_before


def test_a_second_supplement_over_the_dossiers_total_is_refused_on_the_page(client, citizen, waiting_again, media_root):
    files_before = len(files_on_disk(media_root))
    client.force_login(citizen)

    response = client.post(
        reverse("dossiers:my-dossier-supplement", args=[waiting_again.pk]), {"muc_0": [pdf_of(1 * MB, "lan-2.pdf")]}
    )

    assert response.status_code == 200
    assert DOSSIER_REFUSAL in response.content.decode()
    assert_still_waiting(waiting_again, media_root, files_before)


def test_a_second_supplement_over_the_dossiers_total_is_refused_by_the_api(citizen, waiting_again, media_root):
    files_before = len(files_on_disk(media_root))

    response = client_for(citizen).post(
        f"{LIST_URL}{waiting_again.code}/supplement/", {"files": [pdf_of(1 * MB, "lan-2.pdf")]}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json() == {"code": "dossier_storage_full", "detail": DOSSIER_REFUSAL}
    assert_still_waiting(waiting_again, media_root, files_before)


def test_the_result_document_is_not_held_to_the_dossiers_total(procedure, limits):
    # Given a dossier whose applicant filled its 1 MB
    limits.DOSSIER_TOTAL_MAX_BYTES = 1 * MB
    dossier, officers = dossier_in_status(DossierStatus.SUPPLEMENT_REQUESTED, procedure=procedure)
    dossier = services.dossier_supplement(dossier=dossier, user=dossier.applicant, files=[pdf_of(1 * MB - 1 * KB)])
    dossier = services.dossier_forward(dossier=dossier, officer=officers["reception"])
    dossier = services.dossier_take(dossier=dossier, officer=officers["processing"])

    # When the specialist proposes a result with its document, the office's own file is taken
    dossier = services.dossier_propose(
        dossier=dossier, officer=officers["processing"], outcome=Outcome.RESULT, result_file=signable_pdf_of(900 * KB)
    )

    assert dossier.status == DossierStatus.AWAITING_APPROVAL
    assert dossier.results.get().source_name == "ket-qua.pdf"


# --- the applicant's quota ------------------------------------------------------------------------------


@pytest.fixture
def nearly_full(citizen, agency, limits):
    """The citizen's earlier drafts keep 2.5 MB of its 3 MB."""
    earlier = ProcedureFactory(agency=agency, full_online=True)
    component = RequiredDocumentFactory(procedure=earlier, name="Đơn", accepted_file_types=["pdf"])
    for size in (1 * MB, 1 * MB, 512 * KB):
        draft = services.dossier_start_draft(applicant=citizen, procedure=earlier, client_token=uuid.uuid4())
        services.dossier_add_documents(
            dossier=draft, applicant=citizen, required_document=component, files=[pdf_of(size)]
        )
    return citizen


QUOTA_REFUSAL = (
    "Mỗi tài khoản được lưu tối đa 3 MB tệp trên Cổng; các hồ sơ của tài khoản đã có 2,5 MB, các tệp mới nặng "
    "0,6 MB. Hãy xoá tệp ở những bản nháp không dùng đến, hoặc liên hệ Bộ phận tiếp nhận và trả kết quả."
)


def test_an_applicant_over_its_quota_is_refused_on_the_page(client, nearly_full, procedure, media_root):
    declaration, _other = components(procedure)
    files_before = len(files_on_disk(media_root))
    client.force_login(nearly_full)

    response = apply_page(client, procedure, {declaration: [pdf_of(600 * KB)]})

    assert response.status_code == 200
    assert QUOTA_REFUSAL in response.content.decode()
    assert not Dossier.objects.filter(procedure=procedure).exists()
    assert len(files_on_disk(media_root)) == files_before


def test_an_applicant_over_its_quota_is_refused_by_the_api(nearly_full, procedure, media_root):
    declaration, _other = components(procedure)
    files_before = len(files_on_disk(media_root))

    response = apply_api(nearly_full, procedure, {declaration: [pdf_of(600 * KB)]})

    assert response.status_code == 400
    assert response.json() == {"code": "storage_quota_exceeded", "detail": QUOTA_REFUSAL}
    assert not Dossier.objects.filter(procedure=procedure).exists()
    assert len(files_on_disk(media_root)) == files_before


def test_the_quota_is_each_applicants_own(nearly_full, procedure):
    declaration, _other = components(procedure)

    response = apply_api(UserFactory(citizen=True), procedure, {declaration: [pdf_of(600 * KB)]})

    assert response.status_code == 201, response.content


def test_a_counter_intake_is_not_held_to_the_officers_quota(reception_officer, procedure, limits):
    # Given an officer who has already digitised 3 MB of paper dossiers
    declaration, _other = components(procedure)
    for _n in range(4):
        services.dossier_record_intake(
            officer=reception_officer,
            procedure=procedure,
            client_token=uuid.uuid4(),
            channel=Channel.COUNTER,
            applicant_name="Trần Thị Bình",
            delivery_method=DeliveryMethod.COUNTER,
            files_by_component={declaration.pk: [pdf_of(900 * KB)]},
        )

    assert Dossier.objects.count() == 4


# --- what Django refuses before a view: too many files, a body too large ---------------------------------


def test_too_many_files_on_the_page_get_the_portals_own_page_in_vietnamese(
    client, citizen, procedure, settings, media_root
):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    declaration, other = components(procedure)
    client.force_login(citizen)

    response = apply_page(
        client, procedure, {declaration: [pdf_upload(), pdf_upload()], other: [pdf_upload(), pdf_upload()]}
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert "Yêu cầu không được xử lý" in text and "Mỗi lần gửi chỉ được tải lên tối đa 3 tệp." in text
    assert '<html lang="vi">' in text and "/static/css/site.css" in text
    assert not Dossier.objects.exists() and files_on_disk(media_root) == []


def test_too_many_files_in_the_api_get_json(citizen, procedure, settings, media_root):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    declaration, other = components(procedure)

    response = apply_api(
        citizen, procedure, {declaration: [pdf_upload(), pdf_upload()], other: [pdf_upload(), pdf_upload()]}
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "too_many_files", "detail": "Mỗi lần gửi chỉ được tải lên tối đa 3 tệp."}
    assert not Dossier.objects.exists() and files_on_disk(media_root) == []


@pytest.fixture
def body_never_read(monkeypatch):
    """Fails the test if Django starts reading a multipart body (and writing its files to disk)."""

    def parse(self):
        raise AssertionError("the body was read")

    monkeypatch.setattr(MultiPartParser, "parse", parse)


def test_a_body_over_the_limit_is_refused_on_the_page_before_it_is_read(
    client, citizen, procedure, settings, body_never_read
):
    settings.REQUEST_BODY_MAX_BYTES = 100 * KB
    declaration, _other = components(procedure)
    client.force_login(citizen)

    response = apply_page(client, procedure, {declaration: [pdf_of(200 * KB)]})

    assert response.status_code == 413
    text = response.content.decode()
    assert "Yêu cầu không được xử lý" in text
    assert "quá giới hạn: các tệp gửi một lần được tối đa" in text
    assert not Dossier.objects.exists()


def test_a_body_over_the_limit_is_refused_by_the_api_before_it_is_read(citizen, procedure, settings, body_never_read):
    settings.REQUEST_BODY_MAX_BYTES = 100 * KB
    settings.DOSSIER_REQUEST_MAX_BYTES = 50 * MB
    declaration, _other = components(procedure)

    response = apply_api(citizen, procedure, {declaration: [pdf_of(2 * MB)]})

    assert response.status_code == 413
    assert response.json() == {
        "code": "request_too_large",
        "detail": "Yêu cầu gửi lên nặng 2 MB, quá giới hạn: các tệp gửi một lần được tối đa 50 MB.",
    }
    assert not Dossier.objects.exists()


def test_the_400_page_needs_neither_the_database_nor_a_signed_in_user(django_assert_num_queries):
    # (Django's own bad_request view would run the context processors, which read request.user: a request refused
    # before the authentication middleware has none, and reading it asks the database)
    request = RequestFactory().post("/nop-ho-so/1.000001/")
    assert not hasattr(request, "user")

    with django_assert_num_queries(0):
        response = bad_request(request, TooManyFilesSent())

    assert response.status_code == 400
    text = response.content.decode()
    assert "Yêu cầu không được xử lý" in text and "Mỗi lần gửi chỉ được tải lên tối đa" in text


def test_a_client_announcing_a_gigabyte_is_answered_at_once_without_sending_it(live_server):
    # Through a real WSGI server: the answer comes from the headers alone, before any byte of the body is sent.
    host, port = live_server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("POST", LIST_URL)
    connection.putheader("Content-Type", "multipart/form-data; boundary=x")
    connection.putheader("Content-Length", str(1024 * MB))
    connection.endheaders()

    response = connection.getresponse()

    assert response.status == 413
    assert json.loads(response.read())["code"] == "request_too_large"
    connection.close()
