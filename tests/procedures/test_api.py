"""The public, read-only catalogue API at /api/v1/procedures/ and its OpenAPI documentation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procedures.constants import AgencyLevel, OnlineLevel
from procedures.models import Procedure
from tests.factories import AgencyFactory, FieldFactory, ProcedureFactory, RequiredDocumentFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/procedures/"


def result_codes(response) -> set[str]:
    return {item["code"] for item in response.json()["results"]}


def test_anonymous_visitor_lists_active_procedures_page_by_page(api_client):
    ProcedureFactory.create_batch(21)
    ProcedureFactory(inactive=True)

    first = api_client.get(LIST_URL)
    second = api_client.get(LIST_URL, {"page": 2})

    assert first.status_code == 200
    assert first.json()["count"] == 21
    assert len(first.json()["results"]) == 20
    assert first.json()["next"]
    assert len(second.json()["results"]) == 1
    assert set(Procedure.objects.filter(is_active=True).values_list("code", flat=True)) == result_codes(
        first
    ) | result_codes(second)


def test_list_item_carries_agency_and_field(api_client):
    procedure = ProcedureFactory()

    item = api_client.get(LIST_URL).json()["results"][0]

    assert item["code"] == procedure.code
    assert item["agency"]["code"] == procedure.agency.code
    assert item["field"]["code"] == procedure.field.code


def test_filters(api_client):
    province = AgencyFactory(level=AgencyLevel.PROVINCE)
    commune = AgencyFactory(level=AgencyLevel.COMMUNE)
    civil_status = FieldFactory(code="ho-tich")
    permit = ProcedureFactory(
        name="Cấp giấy phép xây dựng", agency=province, online_level=OnlineLevel.FULL, delivers_online=True
    )
    birth = ProcedureFactory(name="Đăng ký khai sinh", agency=commune, field=civil_status)

    def filtered(**params):
        response = api_client.get(LIST_URL, params)
        assert response.status_code == 200
        return result_codes(response)

    assert filtered(agency=province.code) == {permit.code}
    assert filtered(field="ho-tich") == {birth.code}
    assert filtered(level=AgencyLevel.COMMUNE) == {birth.code}
    assert filtered(online_level=OnlineLevel.FULL) == {permit.code}
    assert filtered(search="giấy phép") == filtered(search="giay phep") == {permit.code}
    assert filtered(search="đăng ký khai sinh") == filtered(search="DANG KY KHAI SINH") == {birth.code}


def test_detail_by_dotted_code_includes_documents(api_client):
    procedure = ProcedureFactory(code="1.001612")
    RequiredDocumentFactory(procedure=procedure, name="Tờ khai đăng ký", position=1)
    RequiredDocumentFactory(procedure=procedure, name="Bản sao giấy tờ tùy thân", position=2)

    response = api_client.get("/api/v1/procedures/1.001612/")

    assert response.status_code == 200
    assert response.json()["code"] == "1.001612"
    assert [doc["name"] for doc in response.json()["documents"]] == ["Tờ khai đăng ký", "Bản sao giấy tờ tùy thân"]


def test_detail_with_local_suffix(api_client):
    ProcedureFactory(code="2.000635.H56")

    assert api_client.get("/api/v1/procedures/2.000635.H56/").status_code == 200


def test_unknown_and_inactive_procedures_are_not_found(api_client):
    ProcedureFactory(code="1.000001", inactive=True)

    assert api_client.get("/api/v1/procedures/9.999999/").status_code == 404
    assert api_client.get("/api/v1/procedures/1.000001/").status_code == 404


@pytest.mark.parametrize(
    "who", [None, "citizen", "reception_officer", "processing_officer", "approver", "agency_admin"]
)
def test_nobody_writes_through_the_api(api_client, request, who):
    procedure = ProcedureFactory(code="1.001612", name="Tên gốc")
    if who:
        user = request.getfixturevalue(who)
        procedure.agency = user.agency or procedure.agency
        procedure.save()
        api_client.force_authenticate(user)
    payload = {"code": "1.001612", "name": "Tên bị sửa"}
    before = list(Procedure.objects.values_list("code", "name", "updated_at"))

    responses = [
        api_client.post(LIST_URL, {**payload, "code": "1.999999"}, format="json"),
        api_client.put("/api/v1/procedures/1.001612/", payload, format="json"),
        api_client.patch("/api/v1/procedures/1.001612/", payload, format="json"),
        api_client.delete("/api/v1/procedures/1.001612/"),
    ]

    assert {response.status_code for response in responses} <= {403, 405}
    assert list(Procedure.objects.values_list("code", "name", "updated_at")) == before


def test_openapi_schema_describes_procedures(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/procedures/" in schema["paths"]
    assert "/api/v1/procedures/{code}/" in schema["paths"]


def test_api_docs_use_only_local_static_files(client):
    response = client.get("/api/docs/")

    html = response.content.decode().lower()
    assert response.status_code == 200
    assert "swagger-ui" in html
    for cdn in ("cdn", "unpkg", "jsdelivr"):
        assert cdn not in html


def test_list_query_count_does_not_grow_with_rows(api_client):
    # Expected: the count for pagination (1) and the page with agency and field joined (1).
    ProcedureFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        assert api_client.get(LIST_URL).status_code == 200

    ProcedureFactory.create_batch(17)
    with CaptureQueriesContext(connection) as many:
        assert api_client.get(LIST_URL).status_code == 200

    assert len(few) == len(many) == 2, [query["sql"] for query in many.captured_queries]


def test_detail_query_count_does_not_grow_with_documents(api_client):
    # Expected: the procedure with agency and field (1) and its documents (1); a document's
    # template link needs its procedure's code, which the prefetch already holds.
    procedure = ProcedureFactory(code="1.001612")
    RequiredDocumentFactory(procedure=procedure, template="procedure-templates/1/to-khai.docx")
    with CaptureQueriesContext(connection) as few:
        assert api_client.get("/api/v1/procedures/1.001612/").status_code == 200

    RequiredDocumentFactory.create_batch(10, procedure=procedure, template="procedure-templates/1/mau.docx")
    with CaptureQueriesContext(connection) as many:
        assert api_client.get("/api/v1/procedures/1.001612/").status_code == 200

    assert len(few) == len(many) == 2, [query["sql"] for query in many.captured_queries]
