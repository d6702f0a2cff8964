"""GET /api/v1/statistics/: the public page's figures as open data, refused filters as {code, detail}, in the schema."""

import pytest

from .builders import seeds_2021, stamped

pytestmark = pytest.mark.django_db

URL = "/api/v1/statistics/"


def test_the_seeds_year_per_agency(api_client, django_assert_num_queries):
    province_centre, commune = seeds_2021()

    # the statistics' generation (none: no job has run, nothing is kept), the figures per agency (months, days); the
    # total is their sum
    with django_assert_num_queries(3):
        response = api_client.get(URL, {"period": "year", "year": 2021})

    body = response.json()
    assert response.status_code == 200
    assert body["period"] == {
        "kind": "year",
        "label": "Năm 2021",
        "first_day": "2021-01-01",
        "last_day": "2021-12-31",
        "reckoned_to": "2021-12-31",
    }
    total = body["total"]
    assert (total["received_total"], total["received_online"], total["resolved"]) == (187_333, 85_517, 187_318)
    assert total["early"] + total["on_time"] == 173_475 and total["on_time_rate"] == "92.61"
    assert [(row["name"], row["figures"]["received_total"]) for row in body["rows"]] == [
        (province_centre.name, 135_517),
        (commune.name, 51_816),
    ]
    assert set(body["rows"][0]) == {"id", "code", "name", "figures"}


def test_the_answer_is_kept_until_the_next_statistics_run(api_client, django_assert_num_queries):
    seeds_2021()
    stamped()  # a job's run (the seeds write the summary directly)
    query = {"period": "year", "year": 2021, "utm": "x"}
    computed = api_client.get(URL, query).json()
    seeds_2021()  # twice the figures, written directly: no run has seen them yet

    with django_assert_num_queries(0):  # the generation is kept beside the answer (reporting.pagecache)
        kept = api_client.get(URL, query).json()
    stamped()
    again = api_client.get(URL, query).json()

    assert kept == computed and computed["total"]["received_total"] == 187_333
    assert again["total"]["received_total"] == 2 * 187_333


def test_a_refused_query_is_never_kept(api_client):
    stamped()
    query = {"period": "custom", "date_to": "2021-01-01"}

    first, second = api_client.get(URL, query), api_client.get(URL, query)

    assert first.status_code == second.status_code == 400
    assert second.json()["code"] == "invalid"


def test_grouped_by_field_or_procedure_and_filtered(api_client):
    province_centre, commune = seeds_2021()

    by_field = api_client.get(URL, {"period": "year", "year": 2021, "group": "field", "agency": commune.pk}).json()
    by_procedure = api_client.get(URL, {"period": "quarter", "year": 2021, "quarter": 1, "group": "procedure"}).json()

    assert len(by_field["rows"]) == 1 and by_field["total"]["received_total"] == 51_816
    assert [row["figures"]["received_online"] for row in by_procedure["rows"]] == [85_517]


def test_an_empty_period_has_no_rate(api_client):
    body = api_client.get(URL, {"period": "month", "year": 2030, "month": 1}).json()

    assert body["rows"] == [] and body["total"]["on_time_rate"] is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"period": "custom", "date_to": "2021-01-01"}, "Kỳ tùy chọn cần cả ngày bắt đầu và ngày kết thúc."),
        ({"year": 1999}, "Năm phải từ 2000 trở đi."),
        ({"group": "officer"}, "Cách nhóm không hợp lệ"),
        ({"channel": 9}, "Hình thức nộp không hợp lệ."),
        ({"date_from": "31/02/2021", "period": "custom", "date_to": "2021-03-01"}, "Ngày bắt đầu không hợp lệ"),
    ],
)
def test_a_bad_filter_answers_400_with_code_and_detail(api_client, query, message):
    response = api_client.get(URL, query)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and message in response.json()["detail"]


def test_the_endpoint_is_in_the_schema(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    operation = schema["paths"]["/api/v1/statistics/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"period", "year", "agency", "group"}
    assert {"200", "400"} <= set(operation["responses"])
