"""What the API answers when it refuses, as a client reads it: JSON `{"code", "detail"}` on every /api/ path (an
address no route matches included), and an OpenAPI schema that documents those answers where they occur."""

import pytest
from rest_framework.test import APIClient

from tests.factories import ProcedureFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


# --- JSON 404 on API paths -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/khong-co/",  # no such route
        "/api/khong-co",  # under /api/, outside any version
        "/api/v1/dossiers/ma co dau cach/",  # a value the route's pattern does not take
        "/api/v1/dossiers/000.00.25.H56-250101-0001/khong-co/",  # no such action
    ],
)
def test_an_api_address_no_route_matches_answers_the_api_404_as_a_missing_dossier_does(path):
    citizen = UserFactory(citizen=True)
    missing_dossier = client_for(citizen).get("/api/v1/dossiers/000.00.25.H56-250101-0001/")

    response = client_for(citizen).get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == missing_dossier.json() == {"code": "not_found", "detail": "Không tìm thấy."}


def test_a_page_address_no_route_matches_still_answers_the_page(client):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Không tìm thấy trang" in response.content.decode()


# --- the public catalogue reads no credentials -------------------------------------------------


def test_the_public_catalogue_ignores_a_stale_token(api_client):
    procedure = ProcedureFactory()

    response = api_client.get(f"/api/v1/procedures/{procedure.code}/", HTTP_AUTHORIZATION="Token het-han")

    assert response.status_code == 200
    assert response.json()["code"] == procedure.code


# --- the schema documents the error answers --------------------------------------------------------


@pytest.fixture
def schema(api_client):
    response = api_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_every_operation_documents_the_503_with_retry_after(schema):
    operations = [operation for item in schema["paths"].values() for operation in item.values()]

    assert operations
    for operation in operations:
        unavailable = operation["responses"]["503"]
        assert unavailable["headers"]["Retry-After"]["required"] is True
        assert unavailable["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ApiError"}


def test_token_operations_document_the_401_with_its_challenge(schema):
    dossiers = schema["paths"]["/api/v1/dossiers/"]["get"]["responses"]
    catalogue = schema["paths"]["/api/v1/procedures/"]["get"]["responses"]

    assert dossiers["401"]["headers"]["WWW-Authenticate"]["required"] is True
    assert "401" not in catalogue  # public: no credentials read


def test_a_400_documents_field_errors_and_the_coded_message(schema):
    action = schema["paths"]["/api/v1/dossiers/{code}/refuse/"]["post"]["responses"]
    body = schema["components"]["schemas"]["ApiValidationError"]

    assert action["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ApiValidationError"}
    assert body["required"] == ["code"]
    assert set(body["properties"]) == {"code", "detail"}
    assert body["additionalProperties"]  # the fields' messages


def test_refusals_are_documented_where_they_occur(schema):
    lookup = schema["paths"]["/api/v1/lookup/"]["post"]["responses"]
    action = schema["paths"]["/api/v1/dossiers/{code}/receive/"]["post"]["responses"]
    detail = schema["paths"]["/api/v1/dossiers/{code}/"]["get"]["responses"]

    assert lookup["429"]["headers"]["Retry-After"]["required"] is True
    assert {"400", "401", "403", "404", "409"} <= set(action)
    assert "404" in detail and "409" not in detail
