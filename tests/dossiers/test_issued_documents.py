"""The documents the portal issues (receipt, supplement request, refusal, apology, control sheet): who may
download them, when they apply, and what they print.

The `*_content` functions that produce every line the PDF prints are tested here, and the PDFs for their
header, font and size; test_pdf_limits.py reads the PDFs back with every text at its form's limit."""

import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers import pdf, selectors, services
from dossiers.constants import Action, DossierStatus, Outcome, Timeliness
from dossiers.models import DossierEvent
from tests.factories import (
    AgencyFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
    UserFactory,
    dossier_in_status,
    pdf_upload,
)

pytestmark = pytest.mark.django_db

S = DossierStatus
VN = ZoneInfo("Asia/Ho_Chi_Minh")
KINDS = ["receipt", "supplement-request", "refusal", "apology"]


def document_url(dossier, kind):
    return reverse("dossiers:issued-document", args=[dossier.pk, kind])


def received():
    return dossier_in_status(S.RECEIVED)


def supplement_requested():
    dossier, officers = dossier_in_status(S.RECEIVED)
    dossier = services.dossier_request_supplement(
        dossier=dossier,
        officer=officers["reception"],
        items=["Bản sao CCCD có chứng thực", "Tờ khai có chữ ký"],
        note="Tờ khai thiếu chữ ký ở trang 2.",
    )
    return dossier, officers


def refused():
    dossier, officers = dossier_in_status(S.SUBMITTED)
    dossier = services.dossier_refuse(
        dossier=dossier, officer=officers["reception"], reason="Thủ tục không thuộc thẩm quyền của Sở."
    )
    return dossier, officers


def apologized():
    dossier, officers = dossier_in_status(S.RECEIVED)
    dossier = services.dossier_apologize(
        dossier=dossier,
        officer=officers["reception"],
        new_due_at=dossier.due_at + timedelta(days=3),
        reason="Cần xác minh thêm tại địa phương.",
    )
    return dossier, officers


BUILD = {"receipt": received, "supplement-request": supplement_requested, "refusal": refused, "apology": apologized}


def assert_pdf(response, *, code, prefix):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response.content.rstrip().endswith(b"%%EOF")
    assert len(response.content) > 5_000  # a page with an embedded font subset and a QR code
    assert b"DejaVu" in response.content  # the Unicode font is embedded, so Vietnamese renders
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline")
    assert f"{prefix}-{code}.pdf" in disposition
    assert "no-store" in response["Cache-Control"]


# --- access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_applicant_gets_each_document(client, kind):
    # Given a dossier to which the document applies
    dossier, _ = BUILD[kind]()

    # When its applicant opens the document
    client.force_login(dossier.applicant)
    response = client.get(document_url(dossier, kind))

    # Then a PDF comes back inline, named with the dossier code
    assert_pdf(response, code=dossier.code, prefix=pdf_prefix(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_an_officer_of_the_agency_gets_each_document(client, kind):
    dossier, officers = BUILD[kind]()

    client.force_login(officers["processing"])
    response = client.get(document_url(dossier, kind))

    assert_pdf(response, code=dossier.code, prefix=pdf_prefix(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_another_citizen_and_another_agencys_officer_get_404(client, kind):
    dossier, _ = BUILD[kind]()

    for stranger in (UserFactory(citizen=True), UserFactory(reception_officer=True, agency=AgencyFactory())):
        client.force_login(stranger)
        assert client.get(document_url(dossier, kind)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    dossier, _ = received()

    response = client.get(document_url(dossier, "receipt"))

    assert response.status_code == 302
    assert reverse("portal:login") in response["Location"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_document_that_does_not_apply_yet_is_404(client, kind):
    # Given a dossier submitted but not received, refused, apologised for or asked to supplement
    dossier, officers = dossier_in_status(S.SUBMITTED)

    for user in (dossier.applicant, officers["reception"]):
        client.force_login(user)
        assert client.get(document_url(dossier, kind)).status_code == 404


def test_refusal_and_apology_do_not_apply_to_a_dossier_in_processing(client):
    dossier, _ = dossier_in_status(S.PROCESSING)
    client.force_login(dossier.applicant)

    assert client.get(document_url(dossier, "receipt")).status_code == 200
    assert client.get(document_url(dossier, "refusal")).status_code == 404
    assert client.get(document_url(dossier, "apology")).status_code == 404
    assert client.get(document_url(dossier, "supplement-request")).status_code == 404


def test_unknown_kind_and_missing_dossier_are_404(client):
    dossier, _ = received()
    client.force_login(dossier.applicant)

    assert client.get(f"/ho-so/{dossier.pk}/giay-to/result.pdf").status_code == 404
    assert (
        client.get(document_url(dossier, "receipt").replace(str(dossier.pk), str(dossier.pk + 1000))).status_code == 404
    )


def test_a_draft_has_no_documents_even_for_an_officer(client):
    dossier, officers = dossier_in_status(S.DRAFT)

    client.force_login(officers["reception"])

    assert client.get(document_url(dossier, "receipt")).status_code == 404


def pdf_prefix(kind):
    return {
        "receipt": "giay-tiep-nhan",
        "supplement-request": "phieu-yeu-cau-bo-sung",
        "refusal": "phieu-tu-choi",
        "apology": "phieu-xin-loi",
    }[kind]


# --- content -------------------------------------------------------------------------------------


def common_parts(document, dossier):
    """Every document names the nation, the agency, the dossier code, and links the lookup by QR."""
    text = document.text()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert dossier.agency.name.upper() == document.agency_name
    assert document.code == dossier.code
    assert document.qr_url == f"http://testserver.example/tra-cuu/?code={dossier.code}"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PORTAL_BASE_URL = "http://testserver.example"


def test_receipt_lists_components_with_counts_dates_delivery_and_officer():
    # Given a procedure with two components, one sent as two files
    procedure = ProcedureFactory(name="Cấp giấy phép xây dựng nhà ở riêng lẻ", processing_time=15)
    form = RequiredDocumentFactory(procedure=procedure, name="Đơn đề nghị cấp phép", original_copies=1, copy_copies=0)
    drawings = RequiredDocumentFactory(procedure=procedure, name="Bản vẽ thiết kế", original_copies=2, copy_copies=1)
    applicant = UserFactory(citizen=True, phone="0912345678")
    draft = services.dossier_start_draft(applicant=applicant, procedure=procedure, client_token=uuid.uuid4())
    services.dossier_add_documents(dossier=draft, applicant=applicant, required_document=form, files=[pdf_upload()])
    services.dossier_add_documents(
        dossier=draft, applicant=applicant, required_document=drawings, files=[pdf_upload("a.pdf"), pdf_upload("b.pdf")]
    )
    dossier = services.dossier_submit(dossier=draft, applicant=applicant)
    officer = UserFactory(reception_officer=True, agency=procedure.agency, full_name="Trần Thị Tiếp Nhận")
    dossier = services.dossier_receive(dossier=dossier, officer=officer)

    # When the receipt is built from what the view loads
    event = selectors.dossier_last_event(dossier=dossier, action=Action.RECEIVE)
    document = pdf.receipt_content(
        dossier,
        components=selectors.dossier_received_components(dossier=dossier),
        receiving_officer=event.actor,
    )

    # Then it prints the form's title, the applicant, the request, each component with its counts,
    # the times of receipt and of the appointment, the delivery and the receiving officer
    common_parts(document, dossier)
    assert document.title == "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
    facts = document.facts()
    assert facts["Họ và tên / Tên tổ chức"] == applicant.full_name
    assert facts["Số CCCD / Mã số thuế"] == applicant.citizen_id
    assert facts["Số điện thoại"] == "0912345678"
    assert facts["Nội dung yêu cầu giải quyết"] == f"{procedure.name} ({procedure.code})"
    assert facts["3. Thời hạn giải quyết theo quy định"] == "15 ngày làm việc"
    assert facts["4. Thời gian nhận hồ sơ"] == time_words(dossier.received_at)
    assert facts["5. Thời gian trả kết quả giải quyết hồ sơ"] == time_words(dossier.due_at)
    assert facts["6. Đăng ký nhận kết quả tại"] == "Nhận tại Bộ phận một cửa"
    (table,) = document.tables()
    assert table.rows == (("1", "Đơn đề nghị cấp phép", "1", "0", "1"), ("2", "Bản vẽ thiết kế", "2", "1", "2"))
    assert [s.name for s in document.signatures] == [applicant.full_name, "Trần Thị Tiếp Nhận"]
    # and the PDF renders
    assert pdf.render(document).startswith(b"%PDF")


def time_words(moment):
    local = moment.astimezone(VN)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d} tháng {local:%m} năm {local.year}"


def test_time_words_follow_the_forms():
    moment = datetime(2026, 3, 2, 2, 5, tzinfo=ZoneInfo("UTC"))  # 09:05 in Vietnam

    assert pdf.time_words(moment) == "09 giờ 05 phút, ngày 02 tháng 03 năm 2026"
    assert pdf.date_words(moment) == "ngày 02 tháng 03 năm 2026"


def test_supplement_request_prints_the_items_and_note_of_the_latest_request():
    dossier, officers = supplement_requested()
    request = selectors.supplement_request_latest(dossier=dossier)

    document = pdf.supplement_request_content(dossier, request=request)

    common_parts(document, dossier)
    assert document.title == "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
    text = document.text()
    assert "1. Bản sao CCCD có chứng thực" in text
    assert "2. Tờ khai có chữ ký" in text
    assert document.facts()["Lý do, hướng dẫn"] == "Tờ khai thiếu chữ ký ở trang 2."
    assert "tạm dừng" in text  # received, so the clock stops while waiting
    assert document.signatures[0].name == officers["reception"].full_name


def test_supplement_request_uses_the_latest_request():
    # Given a dossier asked at reception, supplemented, then asked again during processing
    dossier, officers = supplement_requested()
    dossier = services.dossier_supplement(dossier=dossier, user=dossier.applicant, files=[pdf_upload()])
    dossier = services.dossier_forward(dossier=dossier, officer=officers["reception"])
    dossier = services.dossier_take(dossier=dossier, officer=officers["processing"])
    dossier = services.dossier_request_supplement(
        dossier=dossier, officer=officers["processing"], items=["Giấy xác nhận của UBND xã"]
    )

    document = pdf.supplement_request_content(dossier, request=selectors.supplement_request_latest(dossier=dossier))

    text = document.text()
    assert "1. Giấy xác nhận của UBND xã" in text
    assert "Bản sao CCCD" not in text
    assert document.signatures[0].name == officers["processing"].full_name


def test_refusal_prints_the_reason():
    dossier, officers = refused()
    event = selectors.dossier_last_event(dossier=dossier, to_status=S.REFUSED)

    document = pdf.refusal_content(dossier, event=event)

    common_parts(document, dossier)
    assert document.title == "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"
    assert "Thủ tục không thuộc thẩm quyền của Sở." in document.text()
    assert document.signatures[0].name == officers["reception"].full_name


def test_refusal_reason_falls_back_to_the_event_note():
    dossier, _ = refused()
    event = selectors.dossier_last_event(dossier=dossier, to_status=S.REFUSED)
    dossier.resolution_note = ""

    assert pdf.refusal_reason(dossier, event=event) == "Thủ tục không thuộc thẩm quyền của Sở."


def test_refusal_after_approval_of_a_proposed_refusal():
    # Given a refusal proposed by the processing officer and approved
    dossier, officers = dossier_in_status(S.PROCESSING)
    dossier = services.dossier_take(dossier=dossier, officer=officers["processing"])
    dossier = services.dossier_propose(
        dossier=dossier, officer=officers["processing"], outcome=Outcome.REFUSAL, note="Không đủ điều kiện cấp phép."
    )
    dossier = services.dossier_approve(dossier=dossier, approver=officers["approver"])
    assert dossier.status == S.REFUSED

    event = selectors.dossier_last_event(dossier=dossier, to_status=S.REFUSED)
    document = pdf.refusal_content(dossier, event=event)

    assert "Không đủ điều kiện cấp phép." in document.text()
    assert document.signatures[0].name == officers["approver"].full_name


def test_apology_prints_reason_original_and_new_appointment():
    dossier, officers = apologized()
    event = selectors.dossier_last_event(dossier=dossier, action=Action.APOLOGIZE)

    document = pdf.apology_content(dossier, event=event)

    common_parts(document, dossier)
    assert document.title == "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
    facts = document.facts()
    assert facts["Lý do"] == "Cần xác minh thêm tại địa phương."
    assert facts["Thời gian hẹn trả kết quả giải quyết hồ sơ"] == time_words(dossier.original_due_at)
    assert facts["Ngày hẹn trả kết quả mới"] == time_words(dossier.due_at)
    assert dossier.due_at == dossier.original_due_at + timedelta(days=3)
    assert document.signatures[0].name == officers["reception"].full_name


def test_qr_code_encodes_the_lookup_address():
    url = pdf.lookup_url("000.00.25.H56-260115-0001")
    matrix = pdf.qr_matrix(url)

    assert url == "http://testserver.example/tra-cuu/?code=000.00.25.H56-260115-0001"
    assert len(matrix) >= 25 and all(len(row) == len(matrix) for row in matrix)
    assert any(any(row) for row in matrix)


def test_long_texts_flow_onto_more_pages():
    # Given a supplement request with many items
    dossier, officers = dossier_in_status(S.RECEIVED)
    dossier = services.dossier_request_supplement(
        dossier=dossier, officer=officers["reception"], items=[f"Giấy tờ cần bổ sung số {n}" for n in range(80)]
    )

    content = pdf.supplement_request_pdf(dossier, request=selectors.supplement_request_latest(dossier=dossier))

    assert content.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", content)) >= 2


# --- the processing control sheet ----------------------------------------------------------------


def at(day, hour=9):
    return datetime(2026, 3, day, hour, 0, tzinfo=VN)


@pytest.mark.parametrize(
    ("moment", "due", "mark"),
    [
        (at(9), at(10, 17), Timeliness.EARLY),
        (at(10, 8), at(10, 17), Timeliness.ON_TIME),
        (at(10, 18), at(10, 17), Timeliness.ON_TIME),  # dates are compared, as for the whole dossier
        (at(11), at(10, 17), Timeliness.LATE),
        (at(9), None, ""),
    ],
)
def test_step_timeliness_compares_dates(moment, due, mark):
    assert selectors.step_timeliness(at=moment, due_at=due) == mark


def returned_with_fixed_times():
    """A dossier taken to the end, its events moved to fixed times around a fixed due date:
    submit (no clock yet), receive and forward early, take on the due day, propose, approve and
    deliver after it."""
    dossier, officers = dossier_in_status(S.RETURNED)
    due = at(10, 17)
    times = {
        Action.SUBMIT: (at(2), None),
        Action.RECEIVE: (at(3), due),
        Action.FORWARD: (at(4), due),
        Action.TAKE: (at(10, 8), due),
        Action.PROPOSE: (at(11), due),
        Action.APPROVE: (at(12), due),
        Action.DELIVER: (at(13), due),
    }
    for event in dossier.events.all():
        moment, due_at = times[event.action]
        DossierEvent.objects.filter(pk=event.pk).update(created_at=moment, due_at=due_at)
    return dossier, officers


def test_control_sheet_rows_name_giver_receiver_action_and_mark():
    dossier, officers = returned_with_fixed_times()

    rows = selectors.dossier_control_sheet(dossier=dossier)

    assert [(r.action, r.giver, r.receiver, r.mark) for r in rows] == [
        ("Nộp hồ sơ", dossier.applicant_name, "Bộ phận tiếp nhận và trả kết quả", ""),
        ("Tiếp nhận", officers["reception"].full_name, "Bộ phận tiếp nhận và trả kết quả", Timeliness.EARLY),
        ("Chuyển xử lý", officers["reception"].full_name, "Chuyên viên xử lý", Timeliness.EARLY),
        ("Nhận xử lý", officers["processing"].full_name, officers["processing"].full_name, Timeliness.ON_TIME),
        ("Trình phê duyệt", officers["processing"].full_name, "Lãnh đạo phê duyệt", Timeliness.LATE),
        ("Phê duyệt", officers["approver"].full_name, "Bộ phận tiếp nhận và trả kết quả", Timeliness.LATE),
        ("Trả kết quả", officers["reception"].full_name, dossier.applicant_name, Timeliness.LATE),
    ]
    assert [r.number for r in rows] == list(range(1, 8))


def test_control_sheet_page_lists_every_event_with_its_mark(client):
    dossier, officers = returned_with_fixed_times()

    client.force_login(officers["approver"])
    response = client.get(reverse("dossiers:control-sheet", args=[dossier.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ" in html
    assert re.findall(r'data-mark="(\w+)"', html) == ["early", "early", "on_time", "late", "late", "late"]
    assert html.count("<tr>") == 1 + dossier.events.count()  # the heading and one row per event
    for label in ["Trước hạn", "Đúng hạn", "Quá hạn", "Nộp hồ sơ", "Trả kết quả"]:
        assert label in html
    assert reverse("dossiers:control-sheet-pdf", args=[dossier.pk]) in html


def test_control_sheet_content_has_one_table_row_per_event():
    dossier, _ = returned_with_fixed_times()

    document = pdf.control_sheet_content(dossier, rows=selectors.dossier_control_sheet(dossier=dossier))

    common_parts(document, dossier)
    assert document.title == "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
    (table,) = document.tables()
    assert len(table.rows) == 7
    assert table.rows[1][1] == "09:00 03/03/2026"
    assert [row[-1] for row in table.rows] == [
        "",
        "Trước hạn",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Quá hạn",
        "Quá hạn",
    ]


def test_control_sheet_pdf_for_officers(client):
    dossier, officers = returned_with_fixed_times()

    client.force_login(officers["reception"])
    response = client.get(reverse("dossiers:control-sheet-pdf", args=[dossier.pk]))

    assert_pdf(response, code=dossier.code, prefix="phieu-kiem-soat")


@pytest.mark.parametrize("name", ["dossiers:control-sheet", "dossiers:control-sheet-pdf"])
def test_control_sheet_is_404_for_the_applicant_other_citizens_and_other_agencies(client, name):
    dossier, _ = dossier_in_status(S.PROCESSING)
    url = reverse(name, args=[dossier.pk])

    for user in (
        dossier.applicant,
        UserFactory(citizen=True),
        UserFactory(reception_officer=True, agency=AgencyFactory()),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # anonymous: sign in first


def test_control_sheet_is_404_for_an_officer_applying_to_another_agency(client):
    # Given an officer of one agency who applied, as a citizen, to another agency
    officer = UserFactory(reception_officer=True, citizen_id="034085123456")
    dossier, _ = dossier_in_status(S.RECEIVED, applicant=officer)
    assert dossier.agency_id != officer.agency_id

    client.force_login(officer)

    assert client.get(document_url(dossier, "receipt")).status_code == 200  # its own receipt
    assert client.get(reverse("dossiers:control-sheet", args=[dossier.pk])).status_code == 404


def test_control_sheet_query_count_does_not_grow_with_events(client):
    # Given an officer and two dossiers of the agency, one with 2 events and one with 7
    procedure = ProcedureFactory()
    short, officers = dossier_in_status(S.RECEIVED, procedure=procedure)
    long, _ = dossier_in_status(S.RETURNED, procedure=procedure, officers=officers)
    client.force_login(officers["reception"])

    # Expected queries: session (1), the user with its agency (1), the user's groups for the roles (1),
    # then the page's own: the dossier with procedure, agency, assignee and applicant (1) and the events
    # with actor and receiver (1).
    counts, own = [], []
    for dossier in (short, long):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("dossiers:control-sheet", args=[dossier.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
        own.append(sum('"dossiers_' in query["sql"] for query in queries.captured_queries))
    assert own == [2, 2]
    assert counts[0] == counts[1] <= 6
