"""The applicant's pages: apply (draft, uploads, review, submit), my dossiers, a dossier's page with the
supplement and withdrawal forms, and the private file download."""

import hashlib
import re
import struct
import uuid
import zlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dossiers import services
from dossiers.constants import DeliveryMethod, DocumentKind, DossierStatus
from dossiers.deadlines import due_at_after_pause
from dossiers.models import Dossier, DossierDocument, DossierEvent
from portal.models import OutboxMessage
from procedures.calendar import working_calendar
from tests.factories import (
    DossierFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
    UserFactory,
    dossier_in_status,
    pdf_upload,
)

pytestmark = pytest.mark.django_db

APPLICANT_FIELDS = [
    {"name": "ho_ten_con", "label": "Họ tên người con", "type": "text", "required": True},
    {"name": "ngay_sinh", "label": "Ngày sinh", "type": "date", "required": True},
    {"name": "gioi_tinh", "label": "Giới tính", "type": "choice", "required": True, "choices": ["Nam", "Nữ"]},
    {"name": "cccd_me", "label": "Số CCCD của mẹ", "type": "citizen_id", "required": False},
    {"name": "so_ban_sao", "label": "Số bản sao", "type": "number", "required": False},
]


def png_bytes() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def png_upload(name="anh.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@pytest.fixture
def procedure():
    procedure = ProcedureFactory(applicant_fields=APPLICANT_FIELDS, delivers_by_post=True)
    RequiredDocumentFactory(procedure=procedure, name="Tờ khai đăng ký", accepted_file_types=["pdf"])
    RequiredDocumentFactory(procedure=procedure, name="Ảnh giấy chứng sinh", accepted_file_types=["pdf", "png", "jpg"])
    RequiredDocumentFactory(procedure=procedure, name="Giấy tờ khác", is_required=False)
    return procedure


def components(procedure):
    declaration, photo, other = procedure.documents.order_by("position", "id")
    return declaration, photo, other


def apply_url(procedure, **query):
    url = reverse("dossiers:apply", args=[procedure.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def form_data(token, action="save", **overrides):
    data = {
        "client_token": str(token),
        "action": action,
        "applicant_phone": "0912345678",
        "applicant_address": "12 Lê Lợi, phường Thuận Hoá, Huế",
        "delivery_method": DeliveryMethod.COUNTER,
        "data-ho_ten_con": "Nguyễn Văn An",
        "data-ngay_sinh": "2026-01-15",
        "data-gioi_tinh": "Nam",
        "data-cccd_me": "",
        "data-so_ban_sao": "2",
    }
    data.update(overrides)
    return data


def files_for(procedure, **by_component):
    """{"doc_<pk>": [files]} for the components named declaration / photo / other."""
    declaration, photo, other = components(procedure)
    named = {"declaration": declaration, "photo": photo, "other": other}
    return {f"doc_{named[name].pk}": files for name, files in by_component.items()}


def complete_files(procedure):
    return files_for(
        procedure, declaration=[pdf_upload("to-khai.pdf")], photo=[png_upload(), pdf_upload("trang-2.pdf")]
    )


def page_text(response) -> str:
    return response.content.decode()


# --- apply: access -----------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_with_next(client, procedure):
    response = client.get(apply_url(procedure))
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))
    assert "next=" in response.url


def test_procedure_without_online_submission_answers_404_with_a_message(client, citizen):
    procedure = ProcedureFactory(accepts_online=False, online_level=2)
    client.force_login(citizen)
    response = client.get(apply_url(procedure))
    assert response.status_code == 404
    assert "không nhận hồ sơ trực tuyến" in page_text(response)
    response = client.post(apply_url(procedure), form_data(uuid.uuid4()))
    assert response.status_code == 404
    assert not Dossier.objects.exists()


def test_procedure_page_links_to_online_application(client, procedure):
    response = client.get(reverse("procedures:detail", args=[procedure.code]))
    assert "Nộp hồ sơ trực tuyến" in page_text(response)
    assert apply_url(procedure) in page_text(response)
    offline = ProcedureFactory(accepts_online=False, online_level=2)
    response = client.get(reverse("procedures:detail", args=[offline.code]))
    assert apply_url(offline) not in page_text(response)


def test_get_shows_the_form_with_a_token_fields_components_and_delivery_choices(client, citizen, procedure):
    client.force_login(citizen)
    response = client.get(apply_url(procedure))
    assert response.status_code == 200
    text = page_text(response)
    assert 'name="client_token"' in text
    assert "Họ tên người con" in text and 'name="data-ngay_sinh"' in text
    for component in components(procedure):
        assert component.name in text
        assert f'name="doc_{component.pk}"' in text
    assert "multiple" in text
    assert str(DeliveryMethod.COUNTER.label) in text and str(DeliveryMethod.POSTAL.label) in text
    assert str(DeliveryMethod.ONLINE.label) not in text  # the procedure does not deliver online
    assert not Dossier.objects.exists()  # a GET writes nothing


def test_help_text_an_administrator_typed_is_shown_as_text_not_markup(client, citizen):
    # Given an agency administrator who put markup in a field's help text
    procedure = ProcedureFactory(
        applicant_fields=[
            {"name": "ghi_chu", "label": "Ghi chú", "type": "text", "help": "<script>alert('x')</script>"}
        ]
    )
    RequiredDocumentFactory(procedure=procedure)
    client.force_login(citizen)

    text = page_text(client.get(apply_url(procedure)))

    assert "<script>alert(" not in text
    assert "&lt;script&gt;alert(" in text


# --- apply: end to end -------------------------------------------------------------------------


def test_apply_end_to_end_save_resume_review_submit(client, citizen, procedure):
    client.force_login(citizen)
    token = uuid.uuid4()

    # Save a draft with real PDF and PNG files (two files for one component).
    response = client.post(apply_url(procedure), {**form_data(token), **complete_files(procedure)})
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response.url == apply_url(procedure, ho_so=dossier.pk)
    assert dossier.status == DossierStatus.DRAFT and dossier.client_token == token
    assert dossier.form_data == {
        "ho_ten_con": "Nguyễn Văn An",
        "ngay_sinh": "2026-01-15",
        "gioi_tinh": "Nam",
        "cccd_me": "",
        "so_ban_sao": 2,
    }
    assert dossier.applicant_address.startswith("12 Lê Lợi")
    documents = list(dossier.documents.order_by("id"))
    assert [d.content_type for d in documents] == ["application/pdf", "image/png", "application/pdf"]

    # Resume: the page shows the saved values and files, and carries the same token.
    response = client.get(response.url)
    text = page_text(response)
    assert str(token) in text and "Nguyễn Văn An" in text
    assert "to-khai.pdf" in text and "anh.png" in text and "trang-2.pdf" in text
    assert f'name="remove" value="{documents[0].pk}"' in text

    # Review shows everything.
    response = client.post(apply_url(procedure), form_data(token, action="review"))
    assert response.url == reverse("dossiers:apply-review", args=[procedure.code, dossier.pk])
    text = page_text(client.get(response.url))
    assert "Nguyễn Văn An" in text and "15/01/2026" in text and "to-khai.pdf" in text
    assert "Còn thiếu" not in text

    # Submit.
    response = client.post(apply_url(procedure), form_data(token, action="submit"))
    dossier.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("dossiers:my-dossier", args=[dossier.pk])
    assert dossier.status == DossierStatus.SUBMITTED
    assert re.fullmatch(rf"{re.escape(procedure.agency.code)}-\d{{6}}-\d{{4}}", dossier.code)
    assert OutboxMessage.objects.filter(
        channel=OutboxMessage.Channel.EMAIL, recipient=citizen.email, subject__contains=dossier.code
    ).exists()
    text = page_text(client.get(response.url))
    assert dossier.code in text
    assert "hãy ghi lại để tra cứu" in text
    assert Dossier.objects.count() == 1


def test_submit_directly_from_the_first_post(client, citizen, procedure):
    client.force_login(citizen)
    response = client.post(apply_url(procedure), {**form_data(uuid.uuid4(), "submit"), **complete_files(procedure)})
    dossier = Dossier.objects.get()
    assert response.url == reverse("dossiers:my-dossier", args=[dossier.pk])
    assert dossier.status == DossierStatus.SUBMITTED and dossier.documents.count() == 3


def test_double_submit_creates_one_dossier(client, citizen, procedure):
    client.force_login(citizen)
    token = uuid.uuid4()
    first = client.post(apply_url(procedure), {**form_data(token, "submit"), **complete_files(procedure)})
    second = client.post(apply_url(procedure), {**form_data(token, "submit"), **complete_files(procedure)})
    dossier = Dossier.objects.get()
    assert first.url == second.url == reverse("dossiers:my-dossier", args=[dossier.pk])
    assert dossier.documents.count() == 3  # the retried request added nothing
    assert DossierEvent.objects.filter(dossier=dossier, action="submit").count() == 1
    assert OutboxMessage.objects.filter(channel=OutboxMessage.Channel.EMAIL).count() == 1
    # The review page's submit button, pressed again later, lands on the same dossier too.
    third = client.post(reverse("dossiers:apply-review", args=[procedure.code, dossier.pk]))
    assert third.url == first.url and Dossier.objects.count() == 1


def test_saving_a_submitted_dossier_again_changes_nothing(client, citizen, procedure):
    client.force_login(citizen)
    token = uuid.uuid4()
    client.post(apply_url(procedure), {**form_data(token, "submit"), **complete_files(procedure)})
    response = client.post(apply_url(procedure), form_data(token, "save", **{"data-ho_ten_con": "Khác"}))
    dossier = Dossier.objects.get()
    assert response.url == reverse("dossiers:my-dossier", args=[dossier.pk])
    assert dossier.form_data["ho_ten_con"] == "Nguyễn Văn An"


def test_draft_selector_offers_to_resume_or_start_new(client, citizen, procedure):
    client.force_login(citizen)
    draft, _officers = dossier_in_status(DossierStatus.DRAFT, procedure=procedure, applicant=citizen)
    response = client.get(apply_url(procedure))
    text = page_text(response)
    assert "Bạn đang có hồ sơ nháp" in text
    assert apply_url(procedure, ho_so=draft.pk).replace("&", "&amp;") in text
    assert apply_url(procedure, moi=1) in text
    # Starting new shows a fresh form with another token.
    response = client.get(apply_url(procedure, moi=1))
    assert 'name="client_token"' in page_text(response) and str(draft.client_token) not in page_text(response)
    # Resuming shows the draft's token.
    assert str(draft.client_token) in page_text(client.get(apply_url(procedure, ho_so=draft.pk)))


def test_resuming_someone_elses_draft_is_404(client, citizen, procedure):
    other, _officers = dossier_in_status(DossierStatus.DRAFT, procedure=procedure)
    client.force_login(citizen)
    assert client.get(apply_url(procedure, ho_so=other.pk)).status_code == 404
    assert client.get(reverse("dossiers:apply-review", args=[procedure.code, other.pk])).status_code == 404
    # Posting with another person's token is refused and changes nothing.
    response = client.post(apply_url(procedure), form_data(other.client_token))
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.form_data == {}


def test_remove_a_file_from_the_draft(client, citizen, procedure):
    client.force_login(citizen)
    token = uuid.uuid4()
    client.post(apply_url(procedure), {**form_data(token), **complete_files(procedure)})
    dossier = Dossier.objects.get()
    doomed = dossier.documents.get(original_name="anh.png")
    response = client.post(apply_url(procedure), {**form_data(token), "remove": str(doomed.pk)})
    assert response.status_code == 302
    assert not DossierDocument.objects.filter(pk=doomed.pk).exists()
    assert dossier.documents.count() == 2


def test_removing_a_file_of_another_dossier_is_refused_and_nothing_is_saved(client, citizen, procedure):
    other, _officers = dossier_in_status(DossierStatus.SUBMITTED)
    foreign = other.documents.get()
    client.force_login(citizen)
    token = uuid.uuid4()
    client.post(apply_url(procedure), form_data(token))
    response = client.post(
        apply_url(procedure), {**form_data(token, **{"data-ho_ten_con": "Đổi"}), "remove": str(foreign.pk)}
    )
    assert response.status_code == 200
    assert "Hồ sơ chưa được lưu: Không tìm thấy tệp cần xoá trong bản nháp." in page_text(response)
    assert DossierDocument.objects.filter(pk=foreign.pk).exists()
    assert Dossier.objects.get(client_token=token).form_data["ho_ten_con"] == "Nguyễn Văn An"


# --- apply: bad input, nothing saved --------------------------------------------------------------


def test_missing_required_document_on_submit_gives_a_message_and_stays_draft(client, citizen, procedure):
    client.force_login(citizen)
    token = uuid.uuid4()
    client.post(apply_url(procedure), {**form_data(token), **files_for(procedure, photo=[png_upload()])})
    dossier = Dossier.objects.get()

    response = client.post(apply_url(procedure), form_data(token, "submit", **{"data-ho_ten_con": "Tên mới"}))
    assert response.status_code == 200
    text = page_text(response)
    assert "Thành phần hồ sơ bắt buộc: hãy tải lên ít nhất một tệp." in text
    assert "Hồ sơ chưa được lưu" in text
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT and dossier.code is None
    assert dossier.form_data["ho_ten_con"] == "Nguyễn Văn An"  # nothing of the refused request kept
    assert not OutboxMessage.objects.exists()

    # The review page's submit gets the service's refusal, in Vietnamese.
    review = reverse("dossiers:apply-review", args=[procedure.code, dossier.pk])
    assert "Còn thiếu thành phần hồ sơ bắt buộc" in page_text(client.get(review))
    response = client.post(review, follow=True)
    assert "Còn thiếu thành phần hồ sơ bắt buộc: Tờ khai đăng ký." in page_text(response)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT


def test_missing_required_field_on_submit_is_marked(client, citizen, procedure):
    client.force_login(citizen)
    response = client.post(
        apply_url(procedure),
        {**form_data(uuid.uuid4(), "submit", **{"data-ngay_sinh": ""}), **complete_files(procedure)},
    )
    assert response.status_code == 200
    assert "Các tệp hợp lệ đã chọn được giữ lại" in page_text(response)
    assert "field--error" in page_text(response)
    assert not Dossier.objects.exists()
    assert not DossierDocument.objects.exists()


def test_draft_may_be_saved_incomplete_but_formats_are_checked(client, citizen, procedure):
    client.force_login(citizen)
    token = uuid.uuid4()
    response = client.post(apply_url(procedure), form_data(token, **{"data-ho_ten_con": "", "applicant_phone": ""}))
    assert response.status_code == 302
    assert Dossier.objects.get().form_data["ho_ten_con"] == ""

    response = client.post(
        apply_url(procedure), form_data(token, **{"data-cccd_me": "12345", "data-ngay_sinh": "31/02/2026"})
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Ngày không hợp lệ" in text
    assert Dossier.objects.get().form_data["ngay_sinh"] == "2026-01-15"


def test_delivery_method_the_procedure_does_not_offer_is_refused(client, citizen, procedure):
    client.force_login(citizen)
    response = client.post(apply_url(procedure), form_data(uuid.uuid4(), delivery_method=DeliveryMethod.ONLINE))
    assert response.status_code == 200
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("content", "what"),
    [(png_bytes(), "a PNG"), (b"day la van ban, khong phai PDF\n" * 10, "plain text")],
)
def test_pdf_named_file_with_other_content_is_refused_for_a_pdf_only_component(
    client, citizen, procedure, content, what
):
    client.force_login(citizen)
    token = uuid.uuid4()
    client.post(apply_url(procedure), form_data(token))  # an existing draft
    fake = SimpleUploadedFile("to-khai.pdf", content, content_type="application/pdf")
    response = client.post(
        apply_url(procedure),
        {
            **form_data(token, **{"data-ho_ten_con": "Đổi tên"}),
            # A valid file for another component in the same request: not kept either.
            **files_for(procedure, declaration=[fake], photo=[png_upload()]),
        },
    )
    assert response.status_code == 200, what
    text = page_text(response)
    assert "Tệp “to-khai.pdf” (Tờ khai đăng ký) không đúng định dạng: nội dung tệp không phải PDF." in text
    dossier = Dossier.objects.get()
    assert dossier.form_data["ho_ten_con"] == "Nguyễn Văn An"
    assert not dossier.documents.exists()


def test_oversize_file_is_refused(client, citizen, procedure, settings):
    settings.DOSSIER_UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(citizen)
    big = SimpleUploadedFile("lon.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1), content_type="application/pdf")
    response = client.post(apply_url(procedure), {**form_data(uuid.uuid4()), **files_for(procedure, declaration=[big])})
    assert response.status_code == 200
    assert "Tệp “lon.pdf” (Tờ khai đăng ký) lớn hơn 1 MB cho phép." in page_text(response)
    assert not Dossier.objects.exists() and not DossierDocument.objects.exists()


def test_empty_file_is_refused(client, citizen, procedure):
    client.force_login(citizen)
    empty = SimpleUploadedFile("rong.pdf", b"", content_type="application/pdf")
    response = client.post(apply_url(procedure), {**form_data(uuid.uuid4()), **files_for(procedure, other=[empty])})
    assert response.status_code == 200
    assert "Tệp “rong.pdf” (Giấy tờ khác) rỗng." in page_text(response)
    assert not Dossier.objects.exists()


# --- my dossiers ---------------------------------------------------------------------------------


def test_my_dossiers_lists_only_mine_with_code_or_draft(client, citizen):
    mine = DossierFactory(applicant=citizen)
    draft = DossierFactory(applicant=citizen, status=DossierStatus.DRAFT, code=None, submitted_at=None)
    theirs = DossierFactory()
    client.force_login(citizen)
    text = page_text(client.get(reverse("dossiers:my-dossiers")))
    assert mine.code in text and mine.procedure.name in text and "Mới đăng ký" in text
    assert "Bản nháp" in text and apply_url(draft.procedure, ho_so=draft.pk) in text
    assert theirs.code not in text


def test_my_dossiers_needs_login(client):
    response = client.get(reverse("dossiers:my-dossiers"))
    assert response.status_code == 302 and "next=" in response.url


def _count_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dossiers:my-dossiers"))
    assert response.status_code == 200
    return len(queries)


def test_my_dossiers_query_count_does_not_grow_with_rows(client, citizen, django_assert_num_queries):
    client.force_login(citizen)
    DossierFactory.create_batch(2, applicant=citizen)
    few = _count_list_queries(client)
    DossierFactory.create_batch(10, applicant=citizen)
    assert _count_list_queries(client) == few
    # 1 session, 2 user with its roles (for the site shell), 3 count for the paginator, 4 the page's rows with their
    # procedure and agency.
    with django_assert_num_queries(4):
        client.get(reverse("dossiers:my-dossiers"))


def test_my_dossiers_is_paginated(client, citizen):
    DossierFactory.create_batch(21, applicant=citizen)
    client.force_login(citizen)
    assert "Trang 1 / 2" in page_text(client.get(reverse("dossiers:my-dossiers")))
    assert "Trang 2 / 2" in page_text(client.get(reverse("dossiers:my-dossiers") + "?page=2"))


# --- a dossier's page --------------------------------------------------------------------------


def test_detail_shows_status_timeline_documents(client, citizen):
    dossier, officers = dossier_in_status(DossierStatus.PROCESSING, applicant=citizen)
    client.force_login(citizen)
    response = client.get(reverse("dossiers:my-dossier", args=[dossier.pk]))
    text = page_text(response)
    assert response.status_code == 200
    assert dossier.code in text and "Đang xử lý" in text
    assert timezone.localtime(dossier.due_at).strftime("%d/%m/%Y") in text
    for label in ("Nộp hồ sơ", "Tiếp nhận", "Chuyển xử lý"):
        assert label in text
    assert "Cán bộ tiếp nhận" in text
    assert officers["reception"].full_name not in text  # roles, not officers' names
    document = dossier.documents.get()
    assert reverse("dossiers:document-download", args=[dossier.pk, document.pk]) in text
    assert "Rút hồ sơ" in text


def test_detail_is_404_for_another_citizen_and_for_officers(client, citizen):
    dossier, officers = dossier_in_status(DossierStatus.SUBMITTED)
    client.force_login(citizen)
    assert client.get(reverse("dossiers:my-dossier", args=[dossier.pk])).status_code == 404
    client.force_login(officers["reception"])
    assert client.get(reverse("dossiers:my-dossier", args=[dossier.pk])).status_code == 404
    assert client.get(reverse("dossiers:my-dossier", args=[999999])).status_code == 404


def test_detail_of_a_draft_goes_to_the_form(client, citizen, procedure):
    draft, _officers = dossier_in_status(DossierStatus.DRAFT, procedure=procedure, applicant=citizen)
    client.force_login(citizen)
    response = client.get(reverse("dossiers:my-dossier", args=[draft.pk]))
    assert response.url == apply_url(procedure, ho_so=draft.pk)


def test_the_signed_result_is_offered_once_approved_whatever_the_delivery(client, citizen):
    procedure = ProcedureFactory()  # delivered at the counter: the electronic copy is on the page all the same
    waiting, _officers = dossier_in_status(DossierStatus.AWAITING_APPROVAL, procedure=procedure, applicant=citizen)
    proposed = waiting.results.get()
    client.force_login(citizen)
    url = reverse("dossiers:result-download", args=[waiting.pk, proposed.pk])
    page = client.get(reverse("dossiers:my-dossier", args=[waiting.pk]))
    assert url not in page_text(page) and page.context["results"] == []
    assert client.get(url).status_code == 404  # not before approval
    assert client.get(reverse("dossiers:result-source", args=[waiting.pk, proposed.pk])).status_code == 404

    ready, _officers = dossier_in_status(DossierStatus.RESULT_READY, procedure=procedure, applicant=citizen)
    issued = ready.results.get()
    url = reverse("dossiers:result-download", args=[ready.pk, issued.pk])
    assert url in page_text(client.get(reverse("dossiers:my-dossier", args=[ready.pk])))
    download = client.get(url)
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == issued.sha256
    # The applicant's own files do not list it
    assert not ready.documents.exclude(kind__in=[DocumentKind.APPLICATION, DocumentKind.SUPPLEMENT]).exists()


def test_supplement_request_is_shown_and_answered_restarting_the_clock(client, citizen):
    dossier, _officers = dossier_in_status(DossierStatus.SUPPLEMENT_REQUESTED, applicant=citizen)
    # Pin the pause to a fixed past moment so the working time it lasted is known.
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    paused_at = datetime(2026, 11, 2, 9, 0, tzinfo=tz)  # a Monday
    old_due = datetime(2026, 11, 9, 9, 0, tzinfo=tz)
    Dossier.objects.filter(pk=dossier.pk).update(paused_at=paused_at, due_at=old_due)
    client.force_login(citizen)
    url = reverse("dossiers:my-dossier", args=[dossier.pk])
    text = page_text(client.get(url))
    assert "Cơ quan yêu cầu bổ sung hồ sơ" in text and "Bản sao CCCD" in text
    assert reverse("dossiers:my-dossier-supplement", args=[dossier.pk]) in text

    calendar = working_calendar()
    before = timezone.now()
    response = client.post(
        reverse("dossiers:my-dossier-supplement", args=[dossier.pk]),
        {"muc_0": [pdf_upload("cccd.pdf"), png_upload("cccd-mat-sau.png")], "note": "Đã bổ sung bản sao CCCD"},
    )
    after = timezone.now()
    assert response.url == url
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RECEIVED and dossier.paused_at is None
    earliest = due_at_after_pause(due_at=old_due, paused_at=paused_at, resumed_at=before, calendar=calendar)
    latest = due_at_after_pause(due_at=old_due, paused_at=paused_at, resumed_at=after, calendar=calendar)
    assert earliest <= dossier.due_at <= latest
    assert dossier.due_at > old_due
    assert sorted(dossier.documents.filter(kind=DocumentKind.SUPPLEMENT).values_list("original_name", flat=True)) == [
        "cccd-mat-sau.png",
        "cccd.pdf",
    ]
    assert dossier.supplement_requests.get().answered_at is not None
    assert "Đã bổ sung bản sao CCCD" in page_text(client.get(url))


def test_supplement_with_a_bad_file_or_no_file_saves_nothing(client, citizen):
    dossier, _officers = dossier_in_status(DossierStatus.SUPPLEMENT_REQUESTED, applicant=citizen)
    client.force_login(citizen)
    url = reverse("dossiers:my-dossier-supplement", args=[dossier.pk])
    fake = SimpleUploadedFile("cccd.pdf", b"not a pdf at all " * 4, content_type="application/pdf")
    response = client.post(url, {"muc_0": [pdf_upload("tot.pdf"), fake], "note": "x"})
    assert response.status_code == 200
    assert "Tệp “cccd.pdf” (Bản sao CCCD) không đúng định dạng" in page_text(response)
    response = client.post(url, {"note": "quên tệp"})
    assert "Hãy tải lên tệp cho mục này." in page_text(response)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
    assert not dossier.documents.filter(kind=DocumentKind.SUPPLEMENT).exists()


def test_supplement_when_none_is_requested_is_refused_with_a_message(client, citizen):
    dossier, _officers = dossier_in_status(DossierStatus.RECEIVED, applicant=citizen)
    client.force_login(citizen)
    response = client.post(
        reverse("dossiers:my-dossier-supplement", args=[dossier.pk]), {"muc_0": [pdf_upload()]}, follow=True
    )
    assert response.status_code == 200
    assert "Không thể bổ sung hồ sơ khi hồ sơ đang ở trạng thái" in page_text(response)
    assert not dossier.documents.filter(kind=DocumentKind.SUPPLEMENT).exists()


def test_another_citizen_cannot_supplement_or_withdraw(client, citizen):
    dossier, _officers = dossier_in_status(DossierStatus.SUPPLEMENT_REQUESTED)
    client.force_login(citizen)
    supplement = client.post(reverse("dossiers:my-dossier-supplement", args=[dossier.pk]), {"muc_0": [pdf_upload()]})
    withdraw = client.post(reverse("dossiers:my-dossier-withdraw", args=[dossier.pk]), {"reason": "x"})
    assert supplement.status_code == withdraw.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUPPLEMENT_REQUESTED


def test_withdraw_with_a_reason(client, citizen):
    dossier, _officers = dossier_in_status(DossierStatus.RECEIVED, applicant=citizen)
    client.force_login(citizen)
    response = client.post(
        reverse("dossiers:my-dossier-withdraw", args=[dossier.pk]), {"reason": "Không còn nhu cầu"}, follow=True
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WITHDRAWN and dossier.finished_at is not None
    text = page_text(response)
    assert "Công dân rút hồ sơ" in text and "Không còn nhu cầu" in text
    assert reverse("dossiers:my-dossier-withdraw", args=[dossier.pk]) not in text  # no second withdrawal


def test_withdraw_without_a_reason_is_refused(client, citizen):
    dossier, _officers = dossier_in_status(DossierStatus.RECEIVED, applicant=citizen)
    client.force_login(citizen)
    response = client.post(reverse("dossiers:my-dossier-withdraw", args=[dossier.pk]), {"reason": "  "})
    assert response.status_code == 200
    assert "Hãy nêu lý do rút hồ sơ." in page_text(response)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RECEIVED


def test_withdraw_after_the_result_is_refused(client, citizen):
    dossier, _officers = dossier_in_status(DossierStatus.RESULT_READY, applicant=citizen)
    client.force_login(citizen)
    assert "my-dossier-withdraw" not in page_text(client.get(reverse("dossiers:my-dossier", args=[dossier.pk])))
    response = client.post(reverse("dossiers:my-dossier-withdraw", args=[dossier.pk]), {"reason": "Muộn"}, follow=True)
    assert response.status_code == 200
    assert "Không thể rút hồ sơ khi hồ sơ đang ở trạng thái" in page_text(response)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RESULT_READY


# --- private file download -----------------------------------------------------------------------


@pytest.fixture
def submitted(citizen):
    dossier, officers = dossier_in_status(DossierStatus.SUBMITTED, applicant=citizen)
    return dossier, officers, dossier.documents.get()


def test_download_for_the_owner(client, citizen, submitted):
    dossier, _officers, document = submitted
    client.force_login(citizen)
    response = client.get(reverse("dossiers:document-download", args=[dossier.pk, document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="giay-to.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_download_for_an_officer_of_the_agency(client, submitted):
    dossier, officers, document = submitted
    client.force_login(officers["reception"])
    assert client.get(reverse("dossiers:document-download", args=[dossier.pk, document.pk])).status_code == 200


def test_download_refused_to_others(client, submitted):
    dossier, _officers, document = submitted
    url = reverse("dossiers:document-download", args=[dossier.pk, document.pk])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("portal:login"))
    client.force_login(UserFactory(citizen=True))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(reception_officer=True))  # another agency
    assert client.get(url).status_code == 404
    # A document of another dossier through this dossier's URL.
    other, _ = dossier_in_status(DossierStatus.SUBMITTED)
    client.force_login(dossier.applicant)
    other_document = other.documents.get()
    assert client.get(reverse("dossiers:document-download", args=[dossier.pk, other_document.pk])).status_code == 404


def test_draft_files_are_not_visible_to_officers(client, citizen, procedure):
    draft, officers = dossier_in_status(DossierStatus.DRAFT, procedure=procedure, applicant=citizen)
    declaration, _photo, _other = components(procedure)
    (document,) = services.dossier_add_documents(
        dossier=draft, applicant=citizen, required_document=declaration, files=[pdf_upload()]
    )
    url = reverse("dossiers:document-download", args=[draft.pk, document.pk])
    client.force_login(officers["reception"])
    assert client.get(url).status_code == 404
    client.force_login(citizen)
    assert client.get(url).status_code == 200


# --- issued documents --------------------------------------------------------------------------


def _issued_links(client, dossier) -> set[str]:
    text = page_text(client.get(reverse("dossiers:my-dossier", args=[dossier.pk])))
    kinds = ("receipt", "supplement-request", "refusal", "apology")
    return {kind for kind in kinds if reverse("dossiers:issued-document", args=[dossier.pk, kind]) in text}


def test_issued_documents_are_linked_only_when_they_apply(client, citizen):
    client.force_login(citizen)
    submitted, officers = dossier_in_status(DossierStatus.SUBMITTED, applicant=citizen)
    assert _issued_links(client, submitted) == set()

    waiting, _ = dossier_in_status(DossierStatus.SUPPLEMENT_REQUESTED, applicant=citizen)
    assert _issued_links(client, waiting) == {"receipt", "supplement-request"}

    refused = services.dossier_refuse(dossier=submitted, officer=officers["reception"], reason="Sai thủ tục")
    assert _issued_links(client, refused) == {"refusal"}
    assert "Sai thủ tục" in page_text(client.get(reverse("dossiers:my-dossier", args=[refused.pk])))

    received, officers = dossier_in_status(DossierStatus.RECEIVED, applicant=citizen)
    late = services.dossier_apologize(
        dossier=received,
        officer=officers["reception"],
        new_due_at=received.due_at + (received.due_at - received.received_at),
        reason="Cần xác minh thêm",
    )
    assert _issued_links(client, late) == {"receipt", "apology"}


# --- the applicant data form builder -----------------------------------------------------------


def test_applicant_data_form_types_and_json():
    from dossiers.forms.applicant_fields import ApplicantDataForm, applicant_data_display

    form = ApplicantDataForm(
        {"d-ho_ten_con": " An ", "d-ngay_sinh": "15/01/2026", "d-gioi_tinh": "Nữ", "d-so_ban_sao": "2.5"},
        prefix="d",
        spec=APPLICANT_FIELDS,
    )
    assert form.is_valid(), form.errors
    data = form.to_json()
    assert data == {"ho_ten_con": "An", "ngay_sinh": "2026-01-15", "gioi_tinh": "Nữ", "cccd_me": "", "so_ban_sao": 2.5}
    assert applicant_data_display(APPLICANT_FIELDS, data) == [
        ("Họ tên người con", "An"),
        ("Ngày sinh", "15/01/2026"),
        ("Giới tính", "Nữ"),
        ("Số CCCD của mẹ", "—"),
        ("Số bản sao", "2,5"),
    ]
    bad = ApplicantDataForm(
        {"d-gioi_tinh": "Khác", "d-cccd_me": "123", "d-so_ban_sao": "hai"}, prefix="d", spec=APPLICANT_FIELDS
    )
    assert not bad.is_valid()
    assert set(bad.errors) == {"ho_ten_con", "ngay_sinh", "gioi_tinh", "cccd_me", "so_ban_sao"}
    assert ApplicantDataForm({}, prefix="d", spec=APPLICANT_FIELDS, enforce_required=False).is_valid()
