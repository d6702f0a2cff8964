"""The dossier API (/api/v1/dossiers/), the public lookup (/api/v1/lookup/) and API tokens (/api/v1/auth/token/)."""

import json
import re
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dossiers.api.serializers import LookupInput, lookup_input_plain
from dossiers.constants import Channel, DeliveryMethod, DocumentKind, DossierStatus, Outcome, ResultStatus
from dossiers.models import Dossier, DossierDocument, DossierEvent
from portal.models import User
from tests.concurrency import run_at_once
from tests.factories import (
    DossierFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
    UserFactory,
    dossier_in_status,
    pdf_upload,
)

pytestmark = pytest.mark.django_db

S = DossierStatus
LIST_URL = "/api/v1/dossiers/"
LOOKUP_URL = "/api/v1/lookup/"


def detail_url(dossier) -> str:
    return f"{LIST_URL}{dossier.code}/"


def action_url(dossier, action: str) -> str:
    return f"{LIST_URL}{dossier.code}/{action}/"


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["code"] for item in response.json()["results"]}


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def not_a_pdf(name="giay-to.pdf"):
    return SimpleUploadedFile(name, b"day khong phai la PDF", content_type="application/pdf")


@pytest.fixture
def procedure(agency):
    procedure = ProcedureFactory(agency=agency, full_online=True, delivers_at_counter=True)
    RequiredDocumentFactory(procedure=procedure, name="Tờ khai", accepted_file_types=["pdf"])
    return procedure


# --- list: who sees what -----------------------------------------------------------------------


def test_citizen_lists_only_its_own_submitted_dossiers(citizen):
    mine = DossierFactory.create_batch(2, applicant=citizen)
    DossierFactory(applicant=citizen, status=S.DRAFT, code=None)
    DossierFactory()  # someone else's

    response = client_for(citizen).get(LIST_URL)

    assert codes(response) == {d.code for d in mine}
    assert response.json()["count"] == 2


def test_officer_lists_only_its_agency_dossiers(agency, reception_officer):
    ours = DossierFactory.create_batch(2, procedure=ProcedureFactory(agency=agency))
    DossierFactory(procedure=ProcedureFactory(agency=agency), status=S.DRAFT, code=None)
    DossierFactory()  # another agency's

    assert codes(client_for(reception_officer).get(LIST_URL)) == {d.code for d in ours}


def test_anonymous_visitor_is_refused(api_client):
    DossierFactory()

    response = api_client.get(LIST_URL)

    assert response.status_code == 401


def test_list_item_fields_for_an_officer(agency, reception_officer, processing_officer):
    dossier = DossierFactory(
        procedure=ProcedureFactory(agency=agency), status=S.PROCESSING, assignee=processing_officer
    )

    item = client_for(reception_officer).get(LIST_URL).json()["results"][0]

    assert item["code"] == dossier.code
    assert item["status"] == "processing"
    assert item["status_label"] == "Đang xử lý"
    assert item["national_status_code"] == 4
    assert item["procedure"] == {"code": dossier.procedure.code, "name": dossier.procedure.name}
    assert item["agency"] == {"code": agency.code, "name": agency.name}
    assert item["channel"] == Channel.ONLINE
    assert item["applicant_name"] == dossier.applicant_name
    assert item["assignee"] == {"id": processing_officer.pk, "full_name": processing_officer.full_name}
    assert "documents" not in item


def test_citizen_does_not_see_the_assignee(citizen, processing_officer):
    DossierFactory(applicant=citizen, status=S.PROCESSING, assignee=processing_officer)

    item = client_for(citizen).get(LIST_URL).json()["results"][0]

    assert item["assignee"] is None
    assert item["applicant_name"] == citizen.full_name
    assert item["allowed_actions"] == ["withdraw"]


# --- list: filters -----------------------------------------------------------------------------


def test_filters(agency, reception_officer):
    now = timezone.now()
    first_procedure = ProcedureFactory(agency=agency, code="1.001612")
    other_procedure = ProcedureFactory(agency=agency, code="2.000635")
    new = DossierFactory(procedure=first_procedure, applicant_name="Trần Thị Bình", code="000.00.25.H56-250101-0001")
    overdue = DossierFactory(
        procedure=first_procedure,
        status=S.PROCESSING,
        received_at=now - timedelta(days=10),
        due_at=now - timedelta(days=1),
        code="000.00.25.H56-250101-0002",
    )
    on_track = DossierFactory(
        procedure=other_procedure,
        status=S.RECEIVED,
        channel=Channel.COUNTER,
        received_at=now - timedelta(days=3),
        due_at=now + timedelta(days=5),
        code="000.00.25.H56-250202-0001",
    )
    # Past its due date but waiting for the applicant: the clock is stopped, so it is not overdue.
    paused = DossierFactory(
        procedure=other_procedure,
        status=S.SUPPLEMENT_REQUESTED,
        received_at=now - timedelta(days=10),
        due_at=now - timedelta(days=2),
        code="000.00.25.H56-250202-0002",
    )
    client = client_for(reception_officer)

    def filtered(**params):
        return codes(client.get(LIST_URL, params))

    today = timezone.localdate(now)
    assert filtered(status="received") == {on_track.code}
    assert filtered(procedure="1.001612") == {new.code, overdue.code}
    assert filtered(channel=Channel.COUNTER) == {on_track.code}
    assert filtered(overdue="true") == {overdue.code}
    assert filtered(overdue="false") == {new.code, on_track.code, paused.code}
    assert filtered(due_before=str(today)) == {overdue.code, paused.code}
    assert filtered(due_after=str(today)) == {on_track.code}
    assert filtered(due_after=str(today - timedelta(days=1)), due_before=str(today)) == {overdue.code}
    assert filtered(received_after=str(today - timedelta(days=5))) == {on_track.code}
    assert filtered(received_before=str(today - timedelta(days=5))) == {overdue.code, paused.code}
    assert filtered(search="000.00.25.H56-250202") == {on_track.code, paused.code}
    assert filtered(search="thị bình") == {new.code}


def test_a_bad_filter_value_is_a_400(reception_officer):
    response = client_for(reception_officer).get(LIST_URL, {"status": "khong-co", "due_before": "hom qua"})

    # DRF's errors per field, with the machine code beside them
    assert response.status_code == 400
    assert set(response.json()) == {"code", "status", "due_before"}
    assert response.json()["code"] == "invalid"


def test_list_is_paginated(citizen):
    DossierFactory.create_batch(21, applicant=citizen)
    client = client_for(citizen)

    first, second = client.get(LIST_URL), client.get(LIST_URL, {"page": 2})

    assert first.json()["count"] == 21
    assert len(first.json()["results"]) == 20
    assert len(second.json()["results"]) == 1


@pytest.mark.parametrize("role", ["citizen", "reception_officer"])
def test_list_query_count_does_not_grow_with_rows(role, agency, citizen, reception_officer, processing_officer):
    viewer = {"citizen": citizen, "reception_officer": reception_officer}[role]
    procedure = ProcedureFactory(agency=agency)

    def add_dossiers(n):
        DossierFactory.create_batch(n, procedure=procedure, applicant=citizen, status=S.PROCESSING)
        DossierFactory.create_batch(n, procedure=procedure, applicant=citizen, assignee=processing_officer)

    def queries_for_list() -> tuple[int, int]:
        # A fresh user object each time, as each request loads it: its roles are read once per request.
        client = client_for(User.objects.get(pk=viewer.pk))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST_URL)
        assert response.status_code == 200
        return len(captured), response.json()["count"]

    add_dossiers(1)
    few, few_count = queries_for_list()
    add_dossiers(9)
    many, many_count = queries_for_list()

    # Expected: COUNT(*) for the pager, the page with procedure, agency and assignee joined, and for an
    # officer its role groups (read once per request for allowed_actions; a citizen has no agency, so none).
    assert (few_count, many_count) == (2, 20)
    assert few == many == {"citizen": 2, "reception_officer": 3}[role]


# --- detail ------------------------------------------------------------------------------------


def test_citizen_opens_its_dossier_by_code(citizen, procedure):
    dossier, _officers = dossier_in_status(S.RECEIVED, procedure=procedure, applicant=citizen)

    response = client_for(citizen).get(detail_url(dossier))

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == dossier.code
    assert body["status"] == "received"
    assert body["national_status_code"] == 2
    assert body["due_at"]
    assert body["allowed_actions"] == ["withdraw"]
    [document] = body["documents"]
    assert document["original_name"] == "giay-to.pdf"
    assert document["content_type"] == "application/pdf"
    assert document["kind"] == DocumentKind.APPLICATION
    download = reverse("dossiers:document-download", args=[dossier.pk, document["id"]])
    assert document["download_url"] == f"http://testserver{download}"
    assert [(e["action"], e["from_status"], e["to_status"]) for e in body["events"]] == [
        ("submit", "draft", "submitted"),
        ("receive", "submitted", "received"),
    ]
    # Submission and receipt notes are written for the applicant (empty here), as on the web page.
    assert [event["note"] for event in body["events"]] == ["", ""]


def test_officer_sees_notes_assignee_and_actions_the_applicant_does_not(citizen, procedure):
    dossier, officers = dossier_in_status(S.RECEIVED, procedure=procedure, applicant=citizen)
    client_for(officers["reception"]).post(
        action_url(dossier, "forward"), {"assignee": officers["processing"].pk, "note": "Ưu tiên"}, format="json"
    )

    as_officer = client_for(officers["processing"]).get(detail_url(dossier)).json()
    as_applicant = client_for(citizen).get(detail_url(dossier)).json()

    assert as_officer["allowed_actions"] == ["request_supplement", "propose", "apologize"]
    assert as_officer["assignee"]["id"] == officers["processing"].pk
    assert as_officer["events"][-1]["action"] == "forward"
    assert as_officer["events"][-1]["note"] == "Ưu tiên"
    assert as_applicant["allowed_actions"] == ["withdraw"]
    assert as_applicant["assignee"] is None
    assert as_applicant["events"][-1]["note"] is None


def test_applicant_reads_the_notes_written_for_it_as_on_its_page(client, citizen, procedure):
    # Given a dossier forwarded with an internal note, then sent back for a supplement with a note for the
    # applicant, and another refused with a reason
    dossier, officers = dossier_in_status(S.RECEIVED, procedure=procedure, applicant=citizen)
    client_for(officers["reception"]).post(
        action_url(dossier, "forward"), {"assignee": officers["processing"].pk, "note": "Ưu tiên"}, format="json"
    )
    response = client_for(officers["processing"]).post(
        action_url(dossier, "request-supplement"),
        {"items": ["Bản sao sổ đỏ"], "note": "Bản chụp bị mờ, hãy chụp lại."},
        format="json",
    )
    assert response.status_code == 200, response.content
    refused, officers = dossier_in_status(S.SUBMITTED, procedure=procedure, applicant=citizen)
    client_for(officers["reception"]).post(action_url(refused, "refuse"), {"reason": "Sai thẩm quyền"}, format="json")

    # When the applicant reads them through the API
    events = client_for(citizen).get(detail_url(dossier)).json()["events"]
    refused_events = client_for(citizen).get(detail_url(refused)).json()["events"]

    # Then it reads what the supplement asks and why it was refused, not the office's forwarding note
    notes = {event["action"]: event["note"] for event in events}
    assert notes["request_supplement"] == "Bản chụp bị mờ, hãy chụp lại."
    assert notes["forward"] is None
    assert refused_events[-1]["action"] == "refuse"
    assert refused_events[-1]["note"] == "Sai thẩm quyền"
    # and the same notes as its own page shows
    client.force_login(citizen)
    page = client.get(reverse("dossiers:my-dossier", args=[dossier.pk]))
    assert [row.note or None for row in page.context["timeline"]] == [event["note"] or None for event in events]
    assert "Bản chụp bị mờ, hãy chụp lại." in page.content.decode()
    assert "Ưu tiên" not in page.content.decode()


def test_applicant_does_not_get_the_proposed_result_before_approval(citizen, procedure):
    dossier, officers = dossier_in_status(S.AWAITING_APPROVAL, procedure=procedure, applicant=citizen)

    as_citizen = client_for(citizen).get(detail_url(dossier)).json()
    as_approver = client_for(officers["approver"]).get(detail_url(dossier)).json()

    assert as_citizen["results"] == []
    assert [r["status"] for r in as_approver["results"]] == [ResultStatus.PROPOSED]
    assert as_approver["results"][0]["download_url"] is None  # nothing signed yet


def test_another_citizen_or_agency_gets_404(citizen, procedure):
    dossier, _officers = dossier_in_status(S.RECEIVED, procedure=procedure, applicant=citizen)
    other_agency_officer = UserFactory(reception_officer=True)

    assert client_for(UserFactory(citizen=True)).get(detail_url(dossier)).status_code == 404
    assert client_for(other_agency_officer).get(detail_url(dossier)).status_code == 404
    assert client_for(citizen).get(f"{LIST_URL}000.00.25.H56-250101-9999/").status_code == 404


# --- create ------------------------------------------------------------------------------------


def submission(procedure, /, **overrides):
    component = procedure.documents.get()
    data = {
        "procedure": procedure.code,
        "form_data": json.dumps({}),
        "delivery_method": DeliveryMethod.ONLINE,
        f"document_{component.pk}": [pdf_upload("to-khai.pdf"), pdf_upload("to-khai-trang-2.pdf")],
    }
    data.update(overrides)
    return data


def submit(client, data, key=None):
    return client.post(LIST_URL, data, format="multipart", HTTP_IDEMPOTENCY_KEY=str(key or uuid.uuid4()))


def test_citizen_submits_a_dossier_with_files_in_one_request(citizen, procedure):
    response = submit(client_for(citizen), submission(procedure))

    assert response.status_code == 201, response.content
    body = response.json()
    assert re.fullmatch(rf"{re.escape(procedure.agency.code)}-\d{{6}}-\d{{4}}", body["code"])
    assert body["status"] == "submitted"
    assert body["national_status_code"] == 1
    assert body["delivery_method"] == "online"
    assert sorted(d["original_name"] for d in body["documents"]) == ["to-khai-trang-2.pdf", "to-khai.pdf"]
    assert response["Location"] == f"/api/v1/dossiers/{body['code']}/"
    dossier = Dossier.objects.get(code=body["code"])
    assert dossier.applicant == citizen
    assert dossier.events.get().action == "submit"


def test_a_retried_request_returns_the_same_dossier(citizen, procedure):
    client, key = client_for(citizen), uuid.uuid4()

    first = submit(client, submission(procedure), key=key)
    again = submit(client, submission(procedure), key=key)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["code"] == again.json()["code"]
    assert Dossier.objects.count() == 1
    assert DossierDocument.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_same_key_sent_twice_at_once_makes_one_dossier(citizen, procedure):
    key = uuid.uuid4()
    clients = [client_for(citizen) for _ in range(2)]

    def send(index):
        return submit(clients[index], submission(procedure), key=key)

    responses, errors = run_at_once(2, send)

    assert errors == []
    statuses = [response.status_code for response in responses]
    codes_seen = {response.json()["code"] for response in responses}
    assert sorted(statuses) == [200, 201]
    assert len(codes_seen) == 1
    assert Dossier.objects.count() == 1


def test_someone_else_reusing_a_key_gets_400(citizen, procedure):
    key = uuid.uuid4()
    submit(client_for(citizen), submission(procedure), key=key)

    response = submit(client_for(UserFactory(citizen=True)), submission(procedure), key=key)

    assert response.status_code == 400
    assert Dossier.objects.count() == 1


def test_a_bad_file_leaves_nothing(citizen, procedure):
    component = procedure.documents.get()
    data = submission(procedure, **{f"document_{component.pk}": [pdf_upload(), not_a_pdf("gia-mao.pdf")]})

    response = submit(client_for(citizen), data)

    assert response.status_code == 400
    assert "gia-mao.pdf" in response.json()["detail"]
    assert "không đúng định dạng" in response.json()["detail"]
    assert not Dossier.objects.exists()
    assert not DossierDocument.objects.exists()


def test_a_missing_required_document_is_a_400(citizen, procedure):
    component = procedure.documents.get()
    data = submission(procedure)
    del data[f"document_{component.pk}"]

    response = submit(client_for(citizen), data)

    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "detail": f"Còn thiếu thành phần hồ sơ bắt buộc: {component.name}."}
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"procedure": "9.999999"}, "procedure", "Không có thủ tục đang áp dụng với mã “9.999999”."),
        ({"form_data": "{khong phai json"}, "form_data", "Thông tin kê khai phải là một đối tượng JSON."),
        ({"form_data": "[1, 2]"}, "form_data", "Thông tin kê khai phải là một đối tượng JSON."),
        ({"delivery_method": "bo-cau"}, "delivery_method", None),
    ],
)
def test_bad_fields_are_refused_with_a_message(citizen, procedure, change, field, message):
    response = submit(client_for(citizen), submission(procedure, **change))

    assert response.status_code == 400
    assert field in response.json()
    assert response.json()["code"] == "invalid"
    if message:
        assert response.json()[field] == [message]
    assert not Dossier.objects.exists()


def test_bad_idempotency_key_file_field_and_component_are_refused(citizen, procedure):
    client = client_for(citizen)
    foreign = RequiredDocumentFactory()  # a component of another procedure

    no_key = client.post(LIST_URL, submission(procedure), format="multipart")
    bad_name = submit(client, submission(procedure, tep=pdf_upload()))
    foreign_component = submit(client, submission(procedure, **{f"document_{foreign.pk}": pdf_upload()}))
    postal_without_address = submit(client, submission(procedure, delivery_method=DeliveryMethod.POSTAL))

    assert no_key.status_code == bad_name.status_code == foreign_component.status_code == 400
    assert no_key.json()["code"] == bad_name.json()["code"] == foreign_component.json()["code"] == "invalid"
    assert "Idempotency-Key" in no_key.json()["detail"]
    assert "“tep”" in bad_name.json()["detail"]
    assert foreign_component.json()["detail"] == f"Thành phần hồ sơ {foreign.pk} không thuộc thủ tục này."
    assert postal_without_address.status_code == 400
    assert postal_without_address.json()["detail"] == "Thủ tục này không trả kết quả theo hình thức đã chọn."
    assert not Dossier.objects.exists()


def test_required_form_fields_are_checked(citizen, procedure):
    procedure.applicant_fields = [{"name": "ly_do", "label": "Lý do đề nghị", "type": "text", "required": True}]
    procedure.save()

    missing = submit(client_for(citizen), submission(procedure))
    given = submit(client_for(citizen), submission(procedure, form_data=json.dumps({"ly_do": "Cấp mới"})))

    assert missing.status_code == 400
    assert missing.json()["detail"] == "Còn thiếu thông tin bắt buộc: Lý do đề nghị."
    assert given.status_code == 201
    assert Dossier.objects.get().form_data == {"ly_do": "Cấp mới"}


def test_anonymous_cannot_submit(api_client, procedure):
    response = submit(api_client, submission(procedure))

    assert response.status_code in (401, 403)
    assert not Dossier.objects.exists()


# --- actions -----------------------------------------------------------------------------------


def _later(dossier):
    return (dossier.due_at + timedelta(days=3)).isoformat()


# (starting status, who acts, url action, payload, expected status afterwards)
ACTION_CASES = [
    (S.SUBMITTED, "reception", "receive", lambda d: {"note": "Đủ giấy tờ"}, S.RECEIVED),
    (S.RECEIVED, "reception", "request-supplement", lambda d: {"items": ["Bản sao CCCD"]}, S.SUPPLEMENT_REQUESTED),
    (S.SUPPLEMENT_REQUESTED, "applicant", "supplement", lambda d: {"files": [pdf_upload()]}, S.RECEIVED),
    (S.SUBMITTED, "reception", "refuse", lambda d: {"reason": "Không thuộc thẩm quyền"}, S.REFUSED),
    (S.RECEIVED, "reception", "forward", lambda d: {}, S.PROCESSING),
    (S.PROCESSING, "processing", "take", lambda d: {}, S.PROCESSING),
    (S.AWAITING_APPROVAL, "approver", "approve", lambda d: {}, S.RESULT_READY),
    (S.AWAITING_APPROVAL, "approver", "send-back", lambda d: {"note": "Sửa trích yếu"}, S.PROCESSING),
    (S.RESULT_READY, "reception", "deliver", lambda d: {"note": "Đã trao"}, S.RETURNED),
    (S.SUBMITTED, "applicant", "withdraw", lambda d: {"reason": "Nộp nhầm"}, S.WITHDRAWN),
    (S.RECEIVED, "reception", "apologize", lambda d: {"new_due_at": _later(d), "reason": "Chờ xác minh"}, S.RECEIVED),
]


@pytest.mark.parametrize(("start", "actor", "action", "payload", "expected"), ACTION_CASES)
def test_each_action(citizen, procedure, start, actor, action, payload, expected):
    dossier, officers = dossier_in_status(start, procedure=procedure, applicant=citizen)
    user = citizen if actor == "applicant" else officers[actor]

    response = client_for(user).post(action_url(dossier, action), payload(dossier), format="multipart")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == expected
    dossier.refresh_from_db()
    assert dossier.status == expected
    assert dossier.events.last().action == action.replace("-", "_")


def test_forward_to_a_chosen_processing_officer(procedure):
    dossier, officers = dossier_in_status(S.RECEIVED, procedure=procedure)

    response = client_for(officers["reception"]).post(
        action_url(dossier, "forward"), {"assignee": officers["processing"].pk}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["assignee"]["id"] == officers["processing"].pk


def test_forward_to_someone_who_is_not_a_processing_officer_is_a_400(citizen, procedure):
    dossier, officers = dossier_in_status(S.RECEIVED, procedure=procedure)

    response = client_for(officers["reception"]).post(
        action_url(dossier, "forward"), {"assignee": citizen.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "assignee": ["Người được giao phải là chuyên viên xử lý của cơ quan."],
    }
    dossier.refresh_from_db()
    assert dossier.status == S.RECEIVED


@pytest.mark.parametrize(
    "who",
    ["unknown id", "citizen", "reception officer", "other agency's processing officer", "inactive", "not a number"],
)
def test_forward_answers_the_same_for_any_id_that_is_not_an_assignable_officer(procedure, who):
    # Given a received dossier, and ids that exist or not, of people who may not be assigned to it
    dossier, officers = dossier_in_status(S.RECEIVED, procedure=procedure)
    inactive = UserFactory(processing_officer=True, agency=procedure.agency, is_active=False)
    ids = {
        "unknown id": User.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000,
        "citizen": UserFactory(citizen=True).pk,
        "reception officer": officers["reception"].pk,
        "other agency's processing officer": UserFactory(processing_officer=True).pk,
        "inactive": inactive.pk,
        "not a number": "abc",
    }

    response = client_for(officers["reception"]).post(
        action_url(dossier, "forward"), {"assignee": ids[who]}, format="json"
    )

    # Then every one gets the same Vietnamese answer, which names nobody, and nothing changes
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "assignee": ["Người được giao phải là chuyên viên xử lý của cơ quan."],
    }
    dossier.refresh_from_db()
    assert dossier.status == S.RECEIVED
    assert dossier.assignee_id is None


def test_take_then_propose_a_result_with_its_file(procedure):
    dossier, officers = dossier_in_status(S.PROCESSING, procedure=procedure)
    client = client_for(officers["processing"])

    taken = client.post(action_url(dossier, "take"))
    proposed = client.post(
        action_url(dossier, "propose"),
        {"outcome": Outcome.RESULT, "note": "Đủ điều kiện", "result_file": pdf_upload("ket-qua.pdf")},
        format="multipart",
    )

    assert taken.status_code == 200
    assert proposed.status_code == 200, proposed.content
    assert proposed.json()["status"] == S.AWAITING_APPROVAL
    assert dossier.results.get().source_name == "ket-qua.pdf"


def test_propose_without_a_result_file_is_a_400(procedure):
    dossier, officers = dossier_in_status(S.PROCESSING, procedure=procedure)
    client = client_for(officers["processing"])
    client.post(action_url(dossier, "take"))

    response = client.post(action_url(dossier, "propose"), {"outcome": Outcome.RESULT}, format="multipart")

    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "detail": "Hãy tải lên văn bản kết quả giải quyết."}


def test_an_action_the_status_forbids_is_a_409(procedure):
    dossier, officers = dossier_in_status(S.RECEIVED, procedure=procedure)

    response = client_for(officers["reception"]).post(action_url(dossier, "receive"))

    assert response.status_code == 409
    assert response.json() == {
        "code": "not_in_status",
        "detail": "Không thể tiếp nhận khi hồ sơ đang ở trạng thái “Đã tiếp nhận”.",
    }


def test_a_guard_of_the_workflow_is_a_409(procedure):
    # Proposing needs the dossier taken first.
    dossier, officers = dossier_in_status(S.PROCESSING, procedure=procedure)

    response = client_for(officers["processing"]).post(
        action_url(dossier, "propose"), {"outcome": Outcome.REFUSAL, "note": "Không đủ điều kiện"}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "not_assignee"
    assert "Hãy nhận xử lý trước" in response.json()["detail"]


def test_a_role_that_never_performs_the_action_gets_403(citizen, procedure):
    dossier, officers = dossier_in_status(S.SUBMITTED, procedure=procedure, applicant=citizen)

    by_applicant = client_for(citizen).post(action_url(dossier, "receive"))
    by_processing = client_for(officers["processing"]).post(action_url(dossier, "receive"))
    by_reception = client_for(officers["reception"]).post(action_url(dossier, "withdraw"), {"reason": "x"})

    assert by_applicant.status_code == by_processing.status_code == by_reception.status_code == 403
    assert by_applicant.json() == {
        "code": "not_permitted",
        "detail": "Bạn không có quyền thực hiện thao tác này với hồ sơ.",
    }
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED


def test_another_agency_or_citizen_gets_404_on_actions(citizen, procedure):
    dossier, _officers = dossier_in_status(S.SUBMITTED, procedure=procedure, applicant=citizen)

    other_officer = client_for(UserFactory(reception_officer=True)).post(action_url(dossier, "receive"))
    other_citizen = client_for(UserFactory(citizen=True)).post(action_url(dossier, "withdraw"), {"reason": "x"})

    assert other_officer.status_code == other_citizen.status_code == 404
    assert other_officer.json()["code"] == other_citizen.json()["code"] == "not_found"
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED


def test_service_validation_is_a_400_and_changes_nothing(citizen, procedure):
    dossier, officers = dossier_in_status(S.SUBMITTED, procedure=procedure, applicant=citizen)

    refused = client_for(officers["reception"]).post(action_url(dossier, "refuse"), {"reason": "  "})
    no_items = client_for(officers["reception"]).post(action_url(dossier, "request-supplement"), {}, format="json")
    no_reason = client_for(citizen).post(action_url(dossier, "withdraw"), {})

    assert refused.status_code == 400
    assert refused.json() == {"code": "invalid", "detail": "Hãy nêu lý do từ chối."}
    assert no_items.status_code == 400
    assert "items" in no_items.json() and no_items.json()["code"] == "invalid"
    assert no_reason.status_code == 400
    assert no_reason.json()["detail"] == "Hãy nêu lý do rút hồ sơ."
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED
    assert dossier.events.count() == 1


# The longest text each page accepts (dossiers/forms), sent as `text` of that length and of one character more:
# officers' notes and reasons 4,000; the applicant's withdrawal reason 2,000; the documents to supplement 4,000 as
# the officer's page counts them, one per line (two items and the line between them).
TEXT_LIMIT_CASES = [
    (S.SUBMITTED, "reception", "receive", lambda text: {"note": text}, 4000, "note"),
    (S.SUBMITTED, "reception", "refuse", lambda text: {"reason": text}, 4000, "reason"),
    (S.AWAITING_APPROVAL, "approver", "send-back", lambda text: {"note": text}, 4000, "note"),
    (S.SUBMITTED, "applicant", "withdraw", lambda text: {"reason": text}, 2000, "reason"),
    (S.RECEIVED, "reception", "request-supplement", lambda text: {"items": [text[:1999], text[2000:]]}, 4000, "items"),
]


@pytest.mark.parametrize(("start", "actor", "action", "payload", "limit", "field"), TEXT_LIMIT_CASES)
def test_texts_are_limited_as_on_the_pages(citizen, procedure, start, actor, action, payload, limit, field):
    dossier, officers = dossier_in_status(start, procedure=procedure, applicant=citizen)
    client = client_for(citizen if actor == "applicant" else officers[actor])
    events = dossier.events.count()

    too_long = client.post(action_url(dossier, action), payload("đ" * (limit + 1)), format="json")
    unchanged = dossier.events.count()
    longest = client.post(action_url(dossier, action), payload("đ" * limit), format="json")

    assert too_long.status_code == 400
    assert too_long.json()["code"] == "invalid"
    assert str(limit) in str(too_long.json()[field])
    assert unchanged == events
    assert longest.status_code == 200, longest.content
    assert dossier.events.count() == events + 1


def test_an_apology_reason_is_limited_as_on_the_page(procedure):
    dossier, officers = dossier_in_status(S.RECEIVED, procedure=procedure)
    client = client_for(officers["reception"])

    too_long = client.post(action_url(dossier, "apologize"), {"new_due_at": _later(dossier), "reason": "đ" * 4001})
    longest = client.post(action_url(dossier, "apologize"), {"new_due_at": _later(dossier), "reason": "đ" * 4000})

    assert too_long.status_code == 400
    assert "4000" in too_long.json()["reason"][0]
    assert longest.status_code == 200, longest.content


def test_a_bad_supplement_file_keeps_the_dossier_waiting(citizen, procedure):
    dossier, _officers = dossier_in_status(S.SUPPLEMENT_REQUESTED, procedure=procedure, applicant=citizen)

    response = client_for(citizen).post(action_url(dossier, "supplement"), {"files": [not_a_pdf()]})

    assert response.status_code == 400
    assert "không đúng định dạng" in response.json()["detail"]
    dossier.refresh_from_db()
    assert dossier.status == S.SUPPLEMENT_REQUESTED
    assert not dossier.documents.filter(kind=DocumentKind.SUPPLEMENT).exists()


def test_apologize_is_allowed_once(procedure):
    dossier, officers = dossier_in_status(S.RECEIVED, procedure=procedure)
    client = client_for(officers["reception"])
    client.post(action_url(dossier, "apologize"), {"new_due_at": _later(dossier), "reason": "Chờ xác minh"})
    dossier.refresh_from_db()

    again = client.post(action_url(dossier, "apologize"), {"new_due_at": _later(dossier), "reason": "Lại chậm"})

    assert again.status_code == 409
    assert again.json() == {"code": "once_only", "detail": "Chỉ được xin lỗi và hẹn lại ngày trả kết quả một lần."}


def test_deliver_by_post_is_the_carriers_unless_the_applicant_comes_to_the_desk(citizen, procedure):
    dossier, officers = dossier_in_status(S.RESULT_READY, procedure=procedure, applicant=citizen)
    # As if the applicant had chosen the post at submission.
    Dossier.objects.filter(pk=dossier.pk).update(delivery_method=DeliveryMethod.POSTAL, delivery_address="Số 1")
    client = client_for(officers["reception"])

    typed = client.post(action_url(dossier, "deliver"), {"postal_tracking_number": "EMS123456789VN"})
    assert typed.status_code == 400
    assert typed.json()["detail"] == (
        "Kết quả của hồ sơ này được gửi qua bưu điện: hãy dùng nút “Giao kết quả cho bưu điện”, "
        "hoặc ghi nhận người nộp đến nhận tại quầy."
    )
    dossier.refresh_from_db()
    assert (dossier.status, dossier.postal_tracking_number) == (S.RESULT_READY, "")

    at_desk = client.post(action_url(dossier, "deliver"), {"counter_pickup": True})
    assert at_desk.status_code == 200
    dossier.refresh_from_db()
    assert (dossier.status, dossier.delivery_method) == (S.RETURNED, DeliveryMethod.COUNTER)
    delivered = client_for(citizen).get(detail_url(dossier)).json()["events"][-1]
    assert (delivered["action"], delivered["postal_tracking_number"]) == ("deliver", "")


@pytest.mark.django_db(transaction=True)
def test_two_officers_acting_at_once_one_wins_the_other_gets_409(procedure):
    dossier, officers = dossier_in_status(S.SUBMITTED, procedure=procedure)
    second = UserFactory(reception_officer=True, agency=procedure.agency)
    clients = [client_for(officer) for officer in (officers["reception"], second)]

    statuses, errors = run_at_once(2, lambda i: clients[i].post(action_url(dossier, "receive")).status_code)

    assert errors == []
    assert sorted(statuses) == [200, 409]
    assert DossierEvent.objects.filter(dossier=dossier, action="receive").count() == 1


# --- public lookup -----------------------------------------------------------------------------


def test_lookup_with_code_and_second_factor(api_client, citizen, procedure):
    dossier, _officers = dossier_in_status(S.RECEIVED, procedure=procedure, applicant=citizen)

    response = api_client.post(
        LOOKUP_URL, {"code": dossier.code, "second_factor": citizen.citizen_id[-4:]}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == dossier.code
    assert body["status"] == "received"
    assert body["status_label"] == "Đã tiếp nhận"
    assert body["national_status_code"] == 2
    assert body["procedure_name"] == procedure.name
    assert body["agency_name"] == procedure.agency.name
    assert body["due_at"]
    assert [e["action"] for e in body["timeline"]] == ["submit", "receive"]
    assert set(body["timeline"][0]) == {"action", "action_label", "at"}
    content = response.content.decode()
    assert citizen.full_name not in content
    assert citizen.citizen_id not in content
    assert citizen.email not in content


def test_lookup_answers_the_same_for_unknown_code_and_wrong_factor(api_client, citizen, procedure):
    dossier, _officers = dossier_in_status(S.RECEIVED, procedure=procedure, applicant=citizen)

    wrong_factor = api_client.post(LOOKUP_URL, {"code": dossier.code, "second_factor": "0000"}, format="json")
    unknown = api_client.post(LOOKUP_URL, {"code": "000.00.25.H56-250101-9999", "second_factor": "1234"}, format="json")

    assert wrong_factor.status_code == unknown.status_code == 404
    assert wrong_factor.json() == unknown.json()
    assert wrong_factor.json() == {
        "code": "not_found",
        "detail": "Không tìm thấy hồ sơ với mã và thông tin xác thực đã nhập.",
    }


def test_lookup_without_parameters_is_a_400(api_client):
    response = api_client.post(LOOKUP_URL, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"code", "second_factor"}


def test_lookup_is_rate_limited_per_address(api_client, settings):
    settings.LOOKUP_RATE_LIMIT = 3
    params = {"code": "000.00.25.H56-250101-0001", "second_factor": "1234"}

    answers = [api_client.post(LOOKUP_URL, params, format="json").status_code for _ in range(4)]
    elsewhere = api_client.post(LOOKUP_URL, params, format="json", REMOTE_ADDR="10.0.0.9")

    assert answers == [404, 404, 404, 429]
    assert elsewhere.status_code == 404
    limited = api_client.post(LOOKUP_URL, params, format="json")
    assert limited["Retry-After"] == "60"
    assert limited.json() == {"code": "throttled", "detail": "Bạn tra cứu quá nhiều lần. Hãy thử lại sau 1 phút."}


def test_lookup_query_count(api_client, citizen, procedure):
    dossier, _officers = dossier_in_status(S.RETURNED, procedure=procedure, applicant=citizen)

    with CaptureQueriesContext(connection) as captured:
        response = api_client.post(
            LOOKUP_URL, {"code": dossier.code, "second_factor": citizen.citizen_id[-4:]}, format="json"
        )

    # The dossier with its procedure's and agency's names, on each of its events.
    assert response.status_code == 200
    assert len(captured) == 1


@pytest.mark.parametrize(
    "data",
    [
        {"code": "000.00.25.H56-260115-0001", "second_factor": "1234"},
        {"code": "  abc-1 ", "second_factor": " 0912345678\t", "other": 1},
        {"code": "A" * 40, "second_factor": "1" * 20},
    ],
)
def test_the_usual_lookup_input_is_checked_without_the_serializer_and_alike(data):
    serializer = LookupInput(data=data)
    assert serializer.is_valid()
    assert lookup_input_plain(data) == serializer.validated_data


@pytest.mark.parametrize(
    "data",
    [
        {"code": "A" * 41, "second_factor": "1234"},
        {"code": "ABC", "second_factor": "1" * 21},
        {"code": "   ", "second_factor": "1234"},
        {"code": "", "second_factor": "1234"},
        {"code": "ABC"},
        {"code": "ABC", "second_factor": 1234},
        {"code": ["ABC"], "second_factor": "1234"},
        {"code": None, "second_factor": "1234"},
        {"code": True, "second_factor": "1234"},
        {"code": "AB\x00C", "second_factor": "1234"},
        {"code": "Mã-hồ-sơ", "second_factor": "1234"},
        {"code": "\ud800", "second_factor": "1234"},
        ["ABC", "1234"],
    ],
)
def test_any_other_lookup_input_is_left_to_the_serializer(data):
    # (which refuses most of these with its own messages, and accepts a number or a non-ASCII code)
    assert lookup_input_plain(data) is None


# --- schema ------------------------------------------------------------------------------------


def test_schema_describes_the_dossier_api(api_client):
    response = api_client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/dossiers/" in paths
    assert "/api/v1/dossiers/{code}/receive/" in paths
    assert "/api/v1/dossiers/{code}/request-supplement/" in paths
    assert "/api/v1/lookup/" in paths
    assert "/api/v1/auth/token/" in paths
    # Every error body: a machine code beside the message
    error = response.json()["components"]["schemas"]["DossierApiError"]
    assert set(error["required"]) == {"code", "detail"}
    assert "not_in_status" in error["properties"]["code"]["description"]
