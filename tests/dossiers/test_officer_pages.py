"""The officer pages: workbench queues, the dossier page and its actions, counter and postal intake."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dossiers import services
from dossiers.constants import Channel, DeliveryMethod, DocumentKind, DossierStatus, Outcome, ResultStatus
from dossiers.models import Dossier, DossierEvent
from dossiers.views.officer import QUEUE_PAGE_SIZE
from tests.factories import (
    DossierFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
    UserFactory,
    citizen_id_for,
    dossier_in_status,
    pdf_upload,
    tax_code_for,
)

pytestmark = pytest.mark.django_db

S = DossierStatus
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")

HOME = reverse("dossiers:officer-home")
INTAKE = reverse("dossiers:officer-intake")


def queue_url(name: str) -> str:
    return reverse("dossiers:officer-queue", args=[name])


def dossier_url(dossier) -> str:
    return reverse("dossiers:officer-dossier", args=[dossier.pk])


def action_url(dossier, action: str) -> str:
    return reverse("dossiers:officer-action", args=[dossier.pk, action])


def messages_of(response) -> list[str]:
    """The messages a redirect carries, read by following it (which also consumes them)."""
    page = response.client.get(response.url)
    return [str(m) for m in page.context["messages"]]


def fake_pdf(name: str = "scan.pdf"):
    """A file named .pdf whose content is plain text."""
    return SimpleUploadedFile(name, b"day khong phai la tep PDF", content_type="application/pdf")


def counts_of(response) -> dict[str, int]:
    return {queue.name: count for queue, count in response.context["queues"]}


def row_codes(response) -> list[str]:
    return [row["code"] for row in response.context["rows"]]


@pytest.fixture
def procedure(agency):
    """A procedure of the officers' agency, taking counter and postal dossiers, delivering by post too."""
    procedure = ProcedureFactory(
        agency=agency,
        accepts_postal=True,
        delivers_by_post=True,
        applicant_fields=[
            {"name": "muc_dich", "label": "Mục đích sử dụng", "type": "text", "required": False},
            {"name": "loai", "label": "Loại giấy phép", "type": "choice", "choices": ["Mới", "Gia hạn"]},
        ],
    )
    RequiredDocumentFactory(procedure=procedure, name="Đơn đề nghị", accepted_file_types=["pdf"])
    return procedure


@pytest.fixture
def officers(reception_officer, processing_officer, approver):
    return {"reception": reception_officer, "processing": processing_officer, "approver": approver}


@pytest.fixture
def build(procedure, officers):
    """A dossier driven by the real services to `status`."""

    def _build(status: str, **kwargs):
        dossier, _officers = dossier_in_status(status, procedure=procedure, officers=officers, **kwargs)
        return dossier

    return _build


@pytest.fixture
def other_officer(db):
    """A reception officer of another agency."""
    return UserFactory(reception_officer=True)


# --- access ------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))


def test_citizen_is_refused_everywhere(client, citizen, build):
    dossier = build(S.SUBMITTED, applicant=citizen)
    client.force_login(citizen)
    assert client.get(HOME).status_code == 403
    assert client.get(queue_url("new")).status_code == 403
    # Even its own dossier: the officer page is not the citizen's page.
    assert client.get(dossier_url(dossier)).status_code == 403
    assert client.post(action_url(dossier, "receive")).status_code == 403
    assert client.get(INTAKE).status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED


def test_unknown_queue_and_queue_of_another_role_are_404(client, reception_officer):
    client.force_login(reception_officer)
    assert client.get(queue_url("khong-co")).status_code == 404
    assert client.get(queue_url("to_process")).status_code == 404
    assert client.get(queue_url("awaiting_approval")).status_code == 404


def test_an_agency_admin_without_a_dossier_role_has_no_workbench(client, agency_admin):
    # (tests/dossiers/test_officer_access.py covers the rest of what an agency administrator may not open)
    client.force_login(agency_admin)
    response = client.get(HOME)
    assert response.status_code == 403
    assert "Bàn làm việc chỉ dành cho cán bộ tiếp nhận" in response.content.decode()


# --- queues and counts -------------------------------------------------------------------------


def test_reception_workbench_shows_its_queues_with_counts(client, reception_officer, procedure):
    now = timezone.now()
    new = DossierFactory.create_batch(2, procedure=procedure, status=S.SUBMITTED)
    DossierFactory(procedure=procedure, status=S.RECEIVED, received_at=now, due_at=now + timedelta(days=20))
    late = DossierFactory(procedure=procedure, status=S.RECEIVED, received_at=now, due_at=now - timedelta(hours=2))
    DossierFactory(procedure=procedure, status=S.SUPPLEMENT_REQUESTED, paused_at=now)
    DossierFactory(procedure=procedure, status=S.RESULT_READY, finished_at=now)
    DossierFactory(status=S.SUBMITTED)  # another agency's
    client.force_login(reception_officer)

    response = client.get(HOME)

    assert response.status_code == 200
    assert counts_of(response) == {
        "new": 2,
        "received": 2,
        "waiting_applicant": 1,
        "waiting_payment": 0,
        "due_soon": 0,
        "overdue": 1,
        "results": 1,
    }
    assert response.context["current"].name == "new"
    assert sorted(row_codes(response)) == sorted(d.code for d in new)
    assert 'data-count="2"' in response.content.decode()
    assert reverse("dossiers:officer-intake") in response.content.decode()

    overdue = client.get(queue_url("overdue"))
    assert row_codes(overdue) == [late.code]
    assert overdue.context["rows"][0]["due_state"] == "overdue"
    assert "queue-row--overdue" in overdue.content.decode()


def test_processing_officer_sees_unassigned_and_own_dossiers(client, agency, processing_officer, procedure):
    now = timezone.now()
    colleague = UserFactory(processing_officer=True, agency=agency)
    unassigned = DossierFactory(procedure=procedure, status=S.PROCESSING, due_at=now + timedelta(days=9))
    mine = DossierFactory(
        procedure=procedure, status=S.PROCESSING, assignee=processing_officer, due_at=now + timedelta(days=8)
    )
    DossierFactory(procedure=procedure, status=S.PROCESSING, assignee=colleague, due_at=now + timedelta(days=7))
    soon = DossierFactory(procedure=procedure, status=S.AWAITING_APPROVAL, due_at=now + timedelta(minutes=30))
    client.force_login(processing_officer)

    response = client.get(HOME)

    assert [q.name for q, _count in response.context["queues"]] == [
        "waiting_applicant",
        "waiting_payment",
        "to_process",
        "due_soon",
        "overdue",
    ]
    assert counts_of(response)["to_process"] == 2
    assert counts_of(response)["due_soon"] == 1
    assert response.context["current"].name == "to_process"
    to_process = client.get(queue_url("to_process"))
    assert row_codes(to_process) == [mine.code, unassigned.code]  # soonest due first
    due_soon = client.get(queue_url("due_soon"))
    assert row_codes(due_soon) == [soon.code]
    assert due_soon.context["rows"][0]["due_state"] == "due_soon"


def test_approver_sees_dossiers_awaiting_approval(client, approver, procedure):
    waiting = DossierFactory(procedure=procedure, status=S.AWAITING_APPROVAL, due_at=timezone.now() + timedelta(days=3))
    DossierFactory(procedure=procedure, status=S.PROCESSING)
    client.force_login(approver)

    response = client.get(queue_url("awaiting_approval"))

    assert counts_of(response)["awaiting_approval"] == 1
    assert row_codes(response) == [waiting.code]


# --- search, filters, pagination ---------------------------------------------------------------


def test_search_by_code_prefix_or_applicant_name(client, reception_officer, procedure):
    first = DossierFactory(procedure=procedure, code="000.00.25.H56-260310-0001", applicant_name="Trần Thị Lan")
    second = DossierFactory(procedure=procedure, code="000.00.25.H56-260311-0001", applicant_name="Lê Văn Minh")
    client.force_login(reception_officer)

    assert row_codes(client.get(queue_url("new"), {"q": "000.00.25.H56-260310"})) == [first.code]
    assert row_codes(client.get(queue_url("new"), {"q": "văn minh"})) == [second.code]
    assert row_codes(client.get(queue_url("new"), {"q": "không ai"})) == []


def test_filters_by_procedure_channel_and_submission_date(client, agency, reception_officer, procedure):
    other_procedure = ProcedureFactory(agency=agency)
    march_10 = datetime(2026, 3, 10, 9, 0, tzinfo=LOCAL)
    a = DossierFactory(procedure=procedure, channel=Channel.ONLINE, submitted_at=march_10)
    b = DossierFactory(procedure=procedure, channel=Channel.COUNTER, submitted_at=march_10 + timedelta(days=2))
    c = DossierFactory(procedure=other_procedure, channel=Channel.POSTAL, submitted_at=march_10 + timedelta(days=5))
    client.force_login(reception_officer)

    by_procedure = client.get(queue_url("new"), {"procedure": procedure.pk})
    assert sorted(row_codes(by_procedure)) == sorted([a.code, b.code])
    assert row_codes(client.get(queue_url("new"), {"channel": Channel.POSTAL})) == [c.code]
    dated = client.get(queue_url("new"), {"submitted_from": "2026-03-11", "submitted_to": "2026-03-14"})
    assert row_codes(dated) == [b.code]
    # The Vietnamese way of writing dates is accepted too.
    assert row_codes(client.get(queue_url("new"), {"submitted_from": "15/03/2026"})) == [c.code]


def test_bad_filters_show_vietnamese_errors_not_a_500(client, reception_officer, procedure):
    DossierFactory(procedure=procedure)
    foreign = ProcedureFactory()
    client.force_login(reception_officer)

    response = client.get(queue_url("new"), {"submitted_from": "32/13/2026", "procedure": foreign.pk})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Ngày không hợp lệ" in body
    assert "Thủ tục không thuộc cơ quan của bạn." in body
    assert len(response.context["rows"]) == 1  # invalid filters are not applied

    reversed_range = client.get(queue_url("new"), {"submitted_from": "2026-03-20", "submitted_to": "2026-03-01"})
    assert reversed_range.status_code == 200
    assert "phải sau hoặc bằng" in reversed_range.content.decode()


def test_pagination_shows_25_per_page(client, reception_officer, procedure):
    DossierFactory.create_batch(QUEUE_PAGE_SIZE + 5, procedure=procedure)
    client.force_login(reception_officer)

    first = client.get(queue_url("new"))
    second = client.get(queue_url("new"), {"page": 2, "q": ""})

    assert len(first.context["rows"]) == QUEUE_PAGE_SIZE
    assert first.context["page"].paginator.num_pages == 2
    assert "page=2" in first.content.decode()
    assert len(second.context["rows"]) == 5
    assert not set(row_codes(first)) & set(row_codes(second))
    assert client.get(queue_url("new"), {"page": "abc"}).status_code == 200


def test_queue_page_query_count_is_constant(client, agency, reception_officer, processing_officer):
    now = timezone.now()
    caches["fragments"].clear()

    def make_rows(n):
        for _ in range(n):
            DossierFactory(
                procedure=ProcedureFactory(agency=agency),
                status=S.RECEIVED,
                received_at=now,
                due_at=now + timedelta(days=4),
                assignee=processing_officer,
            )

    make_rows(1)
    client.force_login(reception_officer)
    url = queue_url("received")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    make_rows(QUEUE_PAGE_SIZE + 4)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    with CaptureQueriesContext(connection) as searched:
        searched_response = client.get(url, {"q": "Nguyễn"})
    assert len(response.context["rows"]) == QUEUE_PAGE_SIZE
    assert response.context["page"].paginator.count == QUEUE_PAGE_SIZE + 5
    # Expected, in order: session, user (with its agency, for the header, and its roles), the working
    # calendar (the first time only: the process keeps it for pages, procedures.calendar.working_calendar_for_pages),
    # the queue counts (one aggregate for all queues, whose count of this queue is the paginator's too while no
    # filter applies), the page of dossiers (procedure and assignee names joined), then, the first time only, the
    # filter's procedure choices: the form is rendered once per agency and query for a minute (the "fragments"
    # cache). A search (a filter) counts its own dossiers: one query more, the paginator's count.
    assert len(one) == 6, [q["sql"] for q in one.captured_queries]
    assert len(many) == 4, [q["sql"] for q in many.captured_queries]
    assert len(searched) == 6, [q["sql"] for q in searched.captured_queries]
    assert searched_response.status_code == 200


def test_the_cached_filter_form_is_the_agencys_own(client, procedure, reception_officer):
    other_agency_officer = UserFactory(reception_officer=True)
    ProcedureFactory(agency=other_agency_officer.agency, name="Thủ tục của cơ quan khác")
    client.force_login(reception_officer)
    assert procedure.name in client.get(queue_url("new")).content.decode()

    client.force_login(other_agency_officer)
    body = client.get(queue_url("new")).content.decode()

    assert "Thủ tục của cơ quan khác" in body
    assert procedure.name not in body


def test_queue_rows_show_the_dossiers_columns(
    client, procedure, reception_officer, processing_officer, django_assert_max_num_queries
):
    dossier = DossierFactory(
        procedure=procedure,
        status=S.RECEIVED,
        channel=Channel.COUNTER,
        assignee=processing_officer,
        due_at=timezone.now() + timedelta(days=4),
    )
    client.force_login(reception_officer)

    with django_assert_max_num_queries(8):
        body = client.get(queue_url("received")).content.decode()

    row = body[body.index(f'data-dossier="{dossier.pk}"') :]
    row = row[: row.index("</tr>")]
    for shown in [dossier.code, dossier.applicant_name, procedure.name, procedure.code, "Trực tiếp"]:
        assert shown in row
    assert "Đã tiếp nhận" in row and processing_officer.full_name in row


def test_queue_rows_escape_what_applicants_and_officers_typed(client, procedure, reception_officer):
    # The rows are written in Python (dossiers/templatetags/officer_queue.py), not by the template engine.
    dossier = DossierFactory(
        procedure=procedure,
        status=S.RECEIVED,
        applicant_name='<script>alert("x")</script> & Co',
        due_at=timezone.now() + timedelta(days=4),
    )
    client.force_login(reception_officer)

    body = client.get(queue_url("received")).content.decode()

    row = body[body.index(f'data-dossier="{dossier.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "<script>" not in row
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in row
    assert f'href="{reverse("dossiers:officer-dossier", args=[dossier.pk])}?hang-doi=received"' in row


# --- the dossier page --------------------------------------------------------------------------


def test_dossier_page_shows_the_dossier_and_the_allowed_actions(client, reception_officer, build):
    dossier = build(S.RECEIVED)
    Dossier.objects.filter(pk=dossier.pk).update(form_data={"muc_dich": "Kinh doanh", "loai": "Gia hạn"})
    client.force_login(reception_officer)

    response = client.get(dossier_url(dossier))

    assert response.status_code == 200
    body = response.content.decode()
    for text in (dossier.code, dossier.applicant_name, "Mục đích sử dụng", "Kinh doanh", "Loại giấy phép", "Gia hạn"):
        assert text in body
    assert "giay-to.pdf" in body  # the document
    assert "Tiếp nhận" in body  # the timeline
    assert timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y") in body
    # (refusing reception is no longer offered once received)
    assert [form.action for form in response.context["action_forms"]] == ["forward", "request_supplement", "apologize"]
    assert action_url(dossier, "forward") in body
    assert list(response.context["issued_documents"]) == ["receipt"]
    assert reverse("dossiers:issued-document", args=[dossier.pk, "receipt"]) in body
    assert reverse("dossiers:control-sheet", args=[dossier.pk]) in body
    document = dossier.documents.get()
    assert reverse("dossiers:document-download", args=[dossier.pk, document.pk]) in body


def test_issued_documents_follow_the_dossier(client, reception_officer, build):
    submitted = build(S.SUBMITTED)
    supplement = build(S.SUPPLEMENT_REQUESTED)
    client.force_login(reception_officer)

    page = client.get(dossier_url(submitted))
    assert page.context["issued_documents"] == []
    assert "/giay-to/" not in page.content.decode()
    kinds = list(client.get(dossier_url(supplement)).context["issued_documents"])
    assert kinds == ["receipt", "supplement-request"]
    assert "Bản sao CCCD" in client.get(dossier_url(supplement)).content.decode()


def test_officer_of_another_agency_gets_404(client, other_officer, build):
    dossier = build(S.SUBMITTED)
    client.force_login(other_officer)

    assert client.get(dossier_url(dossier)).status_code == 404
    assert client.post(action_url(dossier, "receive"), {"receive-note": ""}).status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED


def test_missing_dossier_unknown_action_and_get_on_action(client, reception_officer, build):
    dossier = build(S.SUBMITTED)
    client.force_login(reception_officer)

    assert client.get(reverse("dossiers:officer-dossier", args=[dossier.pk + 1000])).status_code == 404
    assert client.post(action_url(dossier, "explode")).status_code == 404
    assert client.post(action_url(dossier, "withdraw")).status_code == 404  # the applicant's action
    assert client.get(action_url(dossier, "receive")).status_code == 405


# --- actions -----------------------------------------------------------------------------------


def post_action(client, dossier, action, data=None):
    response = client.post(action_url(dossier, action), data or {})
    assert response.status_code == 302
    assert response.url == dossier_url(dossier)
    dossier.refresh_from_db()
    return messages_of(response)


def test_receive(client, reception_officer, build):
    dossier = build(S.SUBMITTED)
    client.force_login(reception_officer)

    messages = post_action(client, dossier, "receive", {"receive-note": "Đủ thành phần"})

    assert dossier.status == S.RECEIVED
    assert dossier.due_at is not None
    assert messages == [
        f"Đã tiếp nhận hồ sơ {dossier.code}. Ngày hẹn trả kết quả: "
        f"{timezone.localtime(dossier.due_at).strftime('%H:%M %d/%m/%Y')}."
    ]
    assert dossier.events.last().note == "Đủ thành phần"


def test_request_supplement_one_item_per_line(client, reception_officer, build):
    dossier = build(S.RECEIVED)
    client.force_login(reception_officer)

    messages = post_action(
        client,
        dossier,
        "request_supplement",
        {"request_supplement-items": "Bản sao CCCD\n\n- Giấy khai sinh\n", "request_supplement-note": "Trong 5 ngày"},
    )

    assert dossier.status == S.SUPPLEMENT_REQUESTED
    assert dossier.supplement_requests.get().items == ["Bản sao CCCD", "Giấy khai sinh"]
    assert "Đã gửi yêu cầu bổ sung" in messages[0]


def test_request_supplement_without_items_changes_nothing(client, reception_officer, build):
    dossier = build(S.RECEIVED)
    client.force_login(reception_officer)

    messages = post_action(client, dossier, "request_supplement", {"request_supplement-items": "  \n "})

    assert messages == ["Hãy liệt kê giấy tờ cần bổ sung."]
    assert dossier.status == S.RECEIVED
    assert not dossier.supplement_requests.exists()


def test_refuse_needs_a_reason(client, reception_officer, build):
    dossier = build(S.SUBMITTED)
    client.force_login(reception_officer)

    assert post_action(client, dossier, "refuse", {"refuse-reason": " "}) == ["Hãy nêu lý do từ chối."]
    assert dossier.status == S.SUBMITTED

    messages = post_action(client, dossier, "refuse", {"refuse-reason": "Không thuộc thẩm quyền"})
    assert dossier.status == S.REFUSED
    assert dossier.resolution_note == "Không thuộc thẩm quyền"
    assert messages == [f"Đã từ chối tiếp nhận hồ sơ {dossier.code}."]
    assert "refusal" in client.get(dossier_url(dossier)).context["issued_documents"]


def test_forward_to_a_specialist(client, reception_officer, processing_officer, build):
    dossier = build(S.RECEIVED)
    client.force_login(reception_officer)
    page = client.get(dossier_url(dossier))
    forward_form = next(f for f in page.context["action_forms"] if f.action == "forward")
    choices = list(forward_form.fields["assignee"].queryset)
    assert processing_officer in choices
    assert all(u.agency_id == reception_officer.agency_id and u.has_role("processing_officer") for u in choices)

    messages = post_action(client, dossier, "forward", {"forward-assignee": processing_officer.pk})

    assert dossier.status == S.PROCESSING
    assert dossier.assignee == processing_officer
    assert messages == [f"Đã chuyển hồ sơ {dossier.code} sang xử lý."]


def test_forward_to_someone_outside_the_agency_is_refused(client, reception_officer, build):
    dossier = build(S.RECEIVED)
    stranger = UserFactory(processing_officer=True)
    client.force_login(reception_officer)

    messages = post_action(client, dossier, "forward", {"forward-assignee": stranger.pk})

    assert messages == ["Người được giao phải là chuyên viên xử lý của cơ quan."]
    assert dossier.status == S.RECEIVED
    assert dossier.assignee is None


def test_take(client, processing_officer, build):
    dossier = build(S.PROCESSING)
    client.force_login(processing_officer)

    messages = post_action(client, dossier, "take")

    assert dossier.assignee == processing_officer
    assert messages == [f"Bạn đã nhận xử lý hồ sơ {dossier.code}."]


@pytest.fixture
def taken(build, processing_officer):
    dossier = build(S.PROCESSING)
    return services.dossier_take(dossier=dossier, officer=processing_officer)


def test_propose_a_result_with_its_document(client, processing_officer, taken):
    client.force_login(processing_officer)

    messages = post_action(
        client,
        taken,
        "propose",
        {
            "propose-outcome": Outcome.RESULT,
            "propose-note": "Đủ điều kiện",
            "propose-result_file": pdf_upload("kq.pdf"),
        },
    )

    assert taken.status == S.AWAITING_APPROVAL
    assert taken.proposed_outcome == Outcome.RESULT
    # The result is kept apart from the applicant's files, unsigned until approval
    result = taken.results.get()
    assert (result.status, result.source_name, result.is_signed) == (ResultStatus.PROPOSED, "kq.pdf", False)
    assert not taken.documents.filter(original_name="kq.pdf").exists()
    assert messages == [f"Đã trình phê duyệt hồ sơ {taken.code}."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"propose-outcome": Outcome.RESULT}, "Hãy tải lên văn bản kết quả giải quyết."),
        ({"propose-outcome": Outcome.REFUSAL, "propose-note": ""}, "Hãy nêu lý do đề xuất từ chối."),
        ({"propose-outcome": "bogus"}, "Đề xuất không hợp lệ."),
    ],
)
def test_propose_refusals_change_nothing(client, processing_officer, taken, data, message):
    client.force_login(processing_officer)

    assert post_action(client, taken, "propose", data) == [message]
    assert taken.status == S.PROCESSING
    assert not taken.results.exists()


def test_propose_with_a_fake_pdf_is_refused(client, processing_officer, taken):
    client.force_login(processing_officer)

    messages = post_action(
        client, taken, "propose", {"propose-outcome": Outcome.RESULT, "propose-result_file": fake_pdf()}
    )

    assert "không đúng định dạng" in messages[0]
    assert taken.status == S.PROCESSING
    assert not taken.results.exists()


def test_approve(client, approver, build):
    dossier = build(S.AWAITING_APPROVAL)
    client.force_login(approver)

    messages = post_action(client, dossier, "approve", {"approve-note": "Đồng ý"})

    assert dossier.status == S.RESULT_READY
    assert messages == [f"Đã phê duyệt hồ sơ {dossier.code}."]


def test_send_back_needs_a_note(client, approver, build):
    dossier = build(S.AWAITING_APPROVAL)
    client.force_login(approver)

    assert post_action(client, dossier, "send_back", {"send_back-note": ""}) == ["Hãy ghi ý kiến khi trả lại hồ sơ."]
    assert dossier.status == S.AWAITING_APPROVAL

    post_action(client, dossier, "send_back", {"send_back-note": "Bổ sung căn cứ pháp lý"})
    assert dossier.status == S.PROCESSING


def test_deliver_at_the_counter(client, reception_officer, build):
    dossier = build(S.RESULT_READY)
    client.force_login(reception_officer)
    deliver_form = next(f for f in client.get(dossier_url(dossier)).context["action_forms"] if f.action == "deliver")
    assert "postal_tracking_number" not in deliver_form.fields

    messages = post_action(client, dossier, "deliver", {"deliver-note": "Đã trao tận tay"})

    assert dossier.status == S.RETURNED
    assert dossier.returned_at is not None
    assert messages == [f"Đã ghi nhận trả kết quả hồ sơ {dossier.code}."]


POSTAL_AT_THE_DESK = (
    "Kết quả của hồ sơ này được gửi qua bưu điện: hãy dùng nút “Giao kết quả cho bưu điện”, "
    "hoặc ghi nhận người nộp đến nhận tại quầy."
)


def test_deliver_by_post_is_the_carriers_unless_the_applicant_comes_to_the_desk(client, reception_officer, build):
    dossier = build(S.RESULT_READY)
    Dossier.objects.filter(pk=dossier.pk).update(delivery_method=DeliveryMethod.POSTAL, delivery_address="1 Lê Lợi")
    events = dossier.events.count()
    client.force_login(reception_officer)
    deliver_form = next(f for f in client.get(dossier_url(dossier)).context["action_forms"] if f.action == "deliver")
    assert "postal_tracking_number" not in deliver_form.fields and "counter_pickup" in deliver_form.fields

    # A number typed by hand is no hand-back by post: the carrier gives it (the postal panel's hand-over)
    messages = post_action(client, dossier, "deliver", {"deliver-postal_tracking_number": "EL123456789VN"})
    assert messages == [POSTAL_AT_THE_DESK]
    assert (dossier.status, dossier.postal_tracking_number, dossier.events.count()) == (S.RESULT_READY, "", events)

    post_action(client, dossier, "deliver", {"deliver-counter_pickup": "on", "deliver-note": "Nhận tại quầy"})
    assert (dossier.status, dossier.delivery_method) == (S.RETURNED, DeliveryMethod.COUNTER)
    event = dossier.events.last()
    assert (event.note, event.extra_data) == ("Nhận tại quầy", {"switched_from_postal": True})


def local_input(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_apologize_with_a_new_date_once(client, processing_officer, build):
    dossier = build(S.RECEIVED)
    client.force_login(processing_officer)
    new_due = (dossier.due_at + timedelta(days=3)).replace(second=0, microsecond=0)

    messages = post_action(
        client, dossier, "apologize", {"apologize-new_due_at": local_input(new_due), "apologize-reason": "Cần xác minh"}
    )

    assert dossier.apologized_at is not None
    assert dossier.due_at == new_due
    assert messages[0].startswith(f"Đã gửi thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {dossier.code}")
    assert "apology" in client.get(dossier_url(dossier)).context["issued_documents"]

    again = post_action(
        client,
        dossier,
        "apologize",
        {"apologize-new_due_at": local_input(new_due + timedelta(days=2)), "apologize-reason": "Lần nữa"},
    )
    assert again == ["Chỉ được xin lỗi và hẹn lại ngày trả kết quả một lần."]
    assert dossier.due_at == new_due


@pytest.mark.parametrize(
    ("new_due", "message"),
    [
        ("2020-01-01T08:00", "Ngày hẹn mới phải sau ngày hẹn hiện tại."),
        ("31/02/2026 25:00", "Ngày giờ hẹn trả mới không hợp lệ."),
        ("", "Hãy chọn ngày giờ hẹn trả mới."),
    ],
)
def test_apologize_refusals_change_nothing(client, reception_officer, build, new_due, message):
    dossier = build(S.RECEIVED)
    due = dossier.due_at
    client.force_login(reception_officer)

    messages = post_action(client, dossier, "apologize", {"apologize-new_due_at": new_due, "apologize-reason": "Lý do"})

    assert messages == [message]
    assert dossier.apologized_at is None
    assert dossier.due_at == due


def test_officer_records_the_supplement_of_a_counter_applicant(client, reception_officer, procedure):
    dossier = services.dossier_record_intake(
        officer=reception_officer,
        procedure=procedure,
        client_token=uuid.uuid4(),
        channel=Channel.COUNTER,
        applicant_name="Phạm Văn Quầy",
        delivery_method=DeliveryMethod.COUNTER,
        files_by_component={procedure.documents.get().pk: [pdf_upload()]},
    )
    dossier = services.dossier_request_supplement(dossier=dossier, officer=reception_officer, items=["Bản sao CCCD"])
    client.force_login(reception_officer)
    assert "supplement" in [f.action for f in client.get(dossier_url(dossier)).context["action_forms"]]

    assert post_action(client, dossier, "supplement", {}) == ["Hãy tải lên ít nhất một tệp bổ sung."]
    assert dossier.status == S.SUPPLEMENT_REQUESTED

    messages = post_action(client, dossier, "supplement", {"supplement-files": [pdf_upload("cccd.pdf")]})
    assert dossier.status == S.RECEIVED
    assert dossier.documents.filter(kind=DocumentKind.SUPPLEMENT).count() == 1
    assert "thời hạn giải quyết được tính tiếp" in messages[0]


# --- refused actions ---------------------------------------------------------------------------


def test_wrong_role_is_told_and_nothing_changes(client, processing_officer, build):
    dossier = build(S.SUBMITTED)
    events = dossier.events.count()
    client.force_login(processing_officer)

    messages = post_action(client, dossier, "receive")

    assert messages == ["Bạn không có quyền thực hiện thao tác này với hồ sơ."]
    assert dossier.status == S.SUBMITTED
    assert dossier.events.count() == events


def test_wrong_status_is_told_and_nothing_changes(client, reception_officer, build):
    dossier = build(S.RECEIVED)
    client.force_login(reception_officer)

    messages = post_action(client, dossier, "deliver")

    assert messages == ["Không thể trả kết quả khi hồ sơ đang ở trạng thái “Đã tiếp nhận”."]
    assert dossier.status == S.RECEIVED


def test_two_officers_at_once_the_second_is_told(client, agency, reception_officer, build):
    """Officer B acts from a page loaded before officer A received the dossier."""
    dossier = build(S.SUBMITTED)
    officer_b = UserFactory(reception_officer=True, agency=agency)
    client.force_login(officer_b)
    stale_page = client.get(dossier_url(dossier))
    assert "receive" in [f.action for f in stale_page.context["action_forms"]]

    client.force_login(reception_officer)
    post_action(client, dossier, "receive")
    received_at, events = dossier.received_at, dossier.events.count()

    client.force_login(officer_b)
    messages = post_action(client, dossier, "receive", {"receive-note": "Tôi tiếp nhận"})

    assert messages == ["Không thể tiếp nhận khi hồ sơ đang ở trạng thái “Đã tiếp nhận”."]
    assert dossier.received_at == received_at
    assert dossier.events.count() == events
    assert not DossierEvent.objects.filter(actor=officer_b).exists()


# --- counter and postal intake -----------------------------------------------------------------


@pytest.fixture
def intake_procedure(agency):
    procedure = ProcedureFactory(
        agency=agency,
        accepts_postal=True,
        delivers_by_post=True,
        applicant_fields=[
            {"name": "so_nha", "label": "Số nhà", "type": "text", "required": True},
            {"name": "ngay_cap", "label": "Ngày cấp", "type": "date", "required": False},
            {"name": "so_luong", "label": "Số lượng", "type": "number", "required": False},
            {"name": "loai", "label": "Loại", "type": "choice", "choices": ["Mới", "Gia hạn"], "required": True},
        ],
    )
    RequiredDocumentFactory(procedure=procedure, name="Tờ khai", accepted_file_types=["pdf"])
    RequiredDocumentFactory(procedure=procedure, name="Ảnh chụp", is_required=False)
    return procedure


def intake_data(procedure, **overrides):
    declaration, photo = procedure.documents.order_by("position")
    data = {
        "client_token": str(uuid.uuid4()),
        "channel": Channel.COUNTER,
        "applicant_type": 1,
        "applicant_name": "Hoàng Thị Quầy",
        "applicant_id_number": citizen_id_for(424242),
        "applicant_phone": "0912 345 678",
        "applicant_email": "quay@example.vn",
        "applicant_address": "12 Trần Phú",
        "tt-so_nha": "12",
        "tt-ngay_cap": "01/02/2020",
        "tt-so_luong": "3",
        "tt-loai": "Gia hạn",
        "delivery_method": DeliveryMethod.COUNTER,
        f"component_{declaration.pk}": [pdf_upload("to-khai.pdf"), pdf_upload("to-khai-2.pdf")],
        "note": "Nộp tại quầy số 3",
    }
    data.update(overrides)
    return data


def intake_url(procedure) -> str:
    return f"{INTAKE}?procedure={procedure.pk}"


def test_intake_first_step_lists_the_agency_procedures(client, reception_officer, intake_procedure):
    ProcedureFactory()  # another agency's
    ProcedureFactory(agency=reception_officer.agency, accepts_counter=False, accepts_postal=False)  # online only
    client.force_login(reception_officer)

    response = client.get(INTAKE)

    assert response.status_code == 200
    assert response.context["procedures"] == [intake_procedure]


def test_counter_intake(client, reception_officer, intake_procedure):
    client.force_login(reception_officer)
    assert client.get(intake_url(intake_procedure)).status_code == 200

    response = client.post(intake_url(intake_procedure), intake_data(intake_procedure))

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response.url == dossier_url(dossier)
    assert dossier.status == S.RECEIVED
    assert dossier.channel == Channel.COUNTER
    assert dossier.applicant is None
    assert dossier.applicant_name == "Hoàng Thị Quầy"
    assert dossier.applicant_phone == "0912345678"
    assert dossier.form_data == {"so_nha": "12", "ngay_cap": "2020-02-01", "so_luong": 3, "loai": "Gia hạn"}
    assert dossier.documents.count() == 2
    assert dossier.due_at is not None
    assert messages_of(response)[0].startswith(f"Đã tiếp nhận hồ sơ {dossier.code}.")
    page = client.get(response.url)
    assert dossier.code in page.content.decode()
    assert "Ngày cấp" in page.content.decode() and "01/02/2020" in page.content.decode()


def test_a_resent_intake_form_makes_one_dossier(client, reception_officer, intake_procedure):
    client.force_login(reception_officer)
    data = intake_data(intake_procedure)

    first = client.post(intake_url(intake_procedure), data)
    second = client.post(
        intake_url(intake_procedure), {**data, **intake_data(intake_procedure, client_token=data["client_token"])}
    )

    dossier = Dossier.objects.get()
    assert first.url == second.url == dossier_url(dossier)
    assert dossier.events.filter(action="receive").count() == 1


def test_postal_intake_of_an_enterprise(client, reception_officer, intake_procedure):
    client.force_login(reception_officer)
    data = intake_data(
        intake_procedure,
        channel=Channel.POSTAL,
        applicant_type=2,
        applicant_name="Công ty TNHH Bưu Gửi",
        applicant_id_number=tax_code_for(77),
        postal_tracking_number="EB987654321VN",
    )

    response = client.post(intake_url(intake_procedure), data)

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.channel == Channel.POSTAL
    assert dossier.postal_tracking_number == "EB987654321VN"
    assert dossier.applicant_id_number == tax_code_for(77)


def test_intake_refuses_a_pdf_that_is_not_a_pdf(client, reception_officer, intake_procedure):
    client.force_login(reception_officer)
    declaration = intake_procedure.documents.order_by("position").first()
    data = intake_data(intake_procedure, **{f"component_{declaration.pk}": [fake_pdf("to-khai.pdf")]})

    response = client.post(intake_url(intake_procedure), data)

    assert response.status_code == 200
    assert "không đúng định dạng" in response.content.decode()
    assert "to-khai.pdf" in response.content.decode()
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"applicant_name": ""}, "Hãy nhập họ tên người nộp."),
        ({"applicant_id_number": "123"}, "Số giấy tờ phải là số CCCD (12 chữ số) hoặc mã số thuế"),
        ({"applicant_id_number": "999085000001"}, "Mã tỉnh (3 chữ số đầu) của số CCCD không hợp lệ."),
        ({"applicant_phone": "12345"}, "Số điện thoại gồm 10 hoặc 11 chữ số"),
        ({"tt-so_nha": ""}, "Trường này là bắt buộc."),
        ({"tt-ngay_cap": "30/02/2020"}, "Ngày không hợp lệ"),
        ({"channel": Channel.POSTAL}, "Hãy nhập số hiệu bưu gửi của hồ sơ nhận qua bưu chính."),
        ({"channel": Channel.ONLINE}, "Thủ tục này không nhận hồ sơ theo hình thức đã chọn."),
        ({"delivery_method": DeliveryMethod.POSTAL}, "Chọn xã, phường nhận trong danh sách."),
        ({"delivery_method": DeliveryMethod.ONLINE}, "Thủ tục này không trả kết quả theo hình thức đã chọn."),
    ],
)
def test_intake_bad_input_saves_nothing(client, reception_officer, intake_procedure, overrides, message):
    client.force_login(reception_officer)

    response = client.post(intake_url(intake_procedure), intake_data(intake_procedure, **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Dossier.objects.exists()


def test_intake_needs_each_required_component(client, reception_officer, intake_procedure):
    client.force_login(reception_officer)
    declaration = intake_procedure.documents.order_by("position").first()
    data = intake_data(intake_procedure)
    del data[f"component_{declaration.pk}"]

    response = client.post(intake_url(intake_procedure), data)

    assert response.status_code == 200
    assert "Hãy số hoá và tải lên “Tờ khai”." in response.content.decode()
    assert not Dossier.objects.exists()


def test_intake_channel_choices_follow_the_procedure(client, reception_officer, agency):
    counter_only = ProcedureFactory(agency=agency, accepts_postal=False)
    client.force_login(reception_officer)

    form = client.get(intake_url(counter_only)).context["form"]

    assert [value for value, _label in form.fields["channel"].choices] == [Channel.COUNTER]
    response = client.post(
        intake_url(counter_only),
        {"channel": Channel.POSTAL, "applicant_type": 1, "applicant_name": "A", "delivery_method": "counter"},
    )
    assert "Thủ tục này không nhận hồ sơ theo hình thức đã chọn." in response.content.decode()
    assert not Dossier.objects.exists()


def test_intake_is_for_reception_officers_of_the_agency(client, processing_officer, reception_officer, other_officer):
    foreign = ProcedureFactory(agency=other_officer.agency)
    client.force_login(processing_officer)
    assert client.get(INTAKE).status_code == 403
    assert client.post(intake_url(foreign), {}).status_code == 403

    client.force_login(reception_officer)
    assert client.get(intake_url(foreign)).status_code == 404
    assert client.post(intake_url(foreign), {"applicant_name": "X"}).status_code == 404
    assert client.get(f"{INTAKE}?procedure=abc").status_code == 404
    client.logout()
    assert client.get(INTAKE).status_code == 302
