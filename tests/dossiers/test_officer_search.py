"""The officer's search: what a counter types (dossiers/search.py), through the queue page and the API."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers import services
from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from dossiers.search import normalise_phone, search_text_for
from tests.factories import DossierFactory, ProcedureFactory, UserFactory

pytestmark = pytest.mark.django_db

S = DossierStatus
NEW_QUEUE = reverse("dossiers:officer-queue", args=["new"])


@pytest.fixture
def dossiers(agency):
    procedure = ProcedureFactory(agency=agency)
    an = DossierFactory(
        procedure=procedure,
        code="000.00.25.H56-261130-0042",
        applicant_name="Nguyễn Văn An",
        applicant_id_number="034090001234",
        applicant_phone="0912 345 678",
    )
    company = DossierFactory(
        procedure=procedure,
        code="000.00.25.H56-261130-0117",
        applicant_name="Công ty TNHH Đông Á",
        applicant_id_number="0101234567",
        applicant_phone="0243 888 999",
    )
    return an, company


def codes(response) -> list[str]:
    return sorted(row["code"] for row in response.context["rows"])


@pytest.mark.parametrize(
    "query, expected",
    [
        ("nguyen van an", ["an"]),
        ("NGUYỄN văn", ["an"]),
        ("dong a", ["company"]),
        ("034090001234", ["an"]),  # CCCD
        ("0101234567", ["company"]),  # tax code
        ("0042", ["an"]),  # the last digits of the code
        ("H56-261130", ["an", "company"]),  # a prefix of the code
        ("0912345678", ["an"]),  # the phone, typed without the spaces it was declared with
        ("+84 912.345.678", ["an"]),  # with the country code and dots
        ("nguyen 0117", []),  # every word must match the same dossier
        ("khong ai", []),
    ],
)
def test_queue_search_finds_what_a_counter_types(client, reception_officer, dossiers, query, expected):
    by_name = {"an": dossiers[0].code, "company": dossiers[1].code}
    client.force_login(reception_officer)

    response = client.get(NEW_QUEUE, {"q": query})

    assert response.status_code == 200
    assert codes(response) == sorted(by_name[name] for name in expected)


def test_search_stays_within_the_officers_agency(client, reception_officer, dossiers):
    DossierFactory(applicant_name="Nguyễn Văn An")  # another agency's
    client.force_login(reception_officer)

    assert codes(client.get(NEW_QUEUE, {"q": "nguyen van an"})) == [dossiers[0].code]


def test_api_search_uses_the_same_rule(api_client, reception_officer, dossiers):
    api_client.force_authenticate(reception_officer)

    response = api_client.get("/api/v1/dossiers/", {"search": "nguyen van an"})

    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == [dossiers[0].code]


def test_search_line_follows_every_save(agency):
    dossier = DossierFactory(procedure=ProcedureFactory(agency=agency), applicant_name="Trần Thị Bình")
    assert "tran thi binh" in Dossier.objects.get(pk=dossier.pk).search_text

    dossier.applicant_name = "Lê Thị Hoà"
    dossier.save(update_fields=["applicant_name"])

    assert "le thi hoa" in Dossier.objects.get(pk=dossier.pk).search_text


def test_a_submitted_dossier_is_found_by_its_new_code(client, agency, reception_officer):
    procedure = ProcedureFactory(agency=agency)
    applicant = UserFactory(citizen=True, full_name="Phạm Đức Thắng")
    draft = services.dossier_start_draft(applicant=applicant, procedure=procedure, client_token=uuid.uuid4())
    dossier = services.dossier_submit(dossier=draft, applicant=applicant)
    client.force_login(reception_officer)

    assert codes(client.get(NEW_QUEUE, {"q": dossier.code[-4:]})) == [dossier.code]
    assert codes(client.get(NEW_QUEUE, {"q": "pham duc thang"})) == [dossier.code]


def test_search_text_and_phone_forms():
    assert normalise_phone("+84 912.345.678") == "0912345678"
    assert normalise_phone("84912345678") == "0912345678"
    assert normalise_phone("(024) 3888-999") == "0243888999"
    assert search_text_for(code="ABC-1", name="Đỗ  Thị Ánh", id_number="", phone="0912 345 678") == (
        "abc-1 0912345678 do thi anh"
    )


def test_a_queue_search_tests_the_line_on_the_queues_rows_not_through_the_history_index(
    client, reception_officer, dossiers
):
    client.force_login(reception_officer)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(NEW_QUEUE, {"q": "nguyen van"})

    assert codes(response) == [dossiers[0].code]
    searched = [query["sql"] for query in queries.captured_queries if "LIKE" in query["sql"]]
    # Through an expression no index answers (dossiers.search.Unindexed: docs/performance.md, "Officer search")
    assert searched and all("|| '')" in sql for sql in searched)


def test_a_search_finding_less_than_a_page_needs_no_count_and_a_longer_one_pages(
    client, agency, reception_officer, django_assert_num_queries
):
    from dossiers.views.officer import QUEUE_PAGE_SIZE

    procedure = ProcedureFactory(agency=agency)
    for number in range(QUEUE_PAGE_SIZE + 2):
        DossierFactory(procedure=procedure, applicant_name=f"Trần Thị Bình {number}")
    DossierFactory(procedure=procedure, applicant_name="Lê Văn Hiếm")
    client.force_login(reception_officer)
    client.get(NEW_QUEUE)

    # session, user, the counts, the procedures the filters offer, the page's rows: all the search found, no count
    with django_assert_num_queries(5):
        few = client.get(NEW_QUEUE, {"q": "hiem"})
    many = client.get(NEW_QUEUE, {"q": "tran thi binh"})
    second = client.get(NEW_QUEUE, {"q": "tran thi binh", "page": 2})

    assert len(few.context["rows"]) == 1 and few.context["page"].paginator.num_pages == 1
    assert len(many.context["rows"]) == QUEUE_PAGE_SIZE and many.context["page"].has_next()
    assert many.context["page"].paginator.count == QUEUE_PAGE_SIZE + 2
    assert len(second.context["rows"]) == 2 and not second.context["page"].has_next()
