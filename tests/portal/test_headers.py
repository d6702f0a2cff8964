"""Response headers that protect people on shared PCs and against injected content: the Content-Security-Policy
on every page (settings.CONTENT_SECURITY_POLICY, django-csp), with no template left that would need 'unsafe-inline';
and `Cache-Control: no-store` on whatever may carry personal data (portal.middleware.NoStoreForPersonalDataMiddleware):
every response to a signed-in user or an API token, and the answer to a POST such as the public lookup, while the
public catalogue read anonymously stays cacheable."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers.constants import DossierStatus
from tests.factories import TEST_PASSWORD, ProcedureFactory, UserFactory, dossier_in_status

pytestmark = pytest.mark.django_db

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"


def policy(response) -> dict[str, list[str]]:
    """The response's CSP as {directive: [sources]}."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def procedure():
    return ProcedureFactory(full_online=True, featured=True)


@pytest.fixture
def received(citizen):
    """A received dossier of `citizen`, with its application file, and the officers of its agency."""
    return dossier_in_status(DossierStatus.RECEIVED, applicant=citizen)


# --- Content-Security-Policy ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/thu-tuc/", "/dang-nhap/", "/tra-cuu/", "/khong-co-trang-nay/"])
def test_pages_carry_a_policy_of_the_portals_own_origin_with_nothing_inline(client, procedure, path):
    response = client.get(path)

    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_a_signed_in_citizens_page_and_the_api_docs_carry_the_policy(client, citizen, received):
    dossier, _officers = received
    client.force_login(citizen)

    for path in (reverse("dossiers:my-dossier", args=[dossier.pk]), "/api/docs/"):
        assert policy(client.get(path))["script-src"] == ["'self'"], path


def test_the_api_docs_load_their_start_up_script_from_the_portal(client):
    # Swagger UI's init script is served by the split view at ?script, not written inline in the page.
    page = client.get("/api/docs/").content.decode()
    script = client.get("/api/docs/?script=")

    assert re.search(r'<script src="/api/docs/\?script="></script>', page)
    assert "<style>" not in page
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "an inline <script>"),
    (re.compile(r"<style\b", re.IGNORECASE), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "a style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "an on…= event handler"),
    (re.compile(r"javascript:", re.IGNORECASE), "a javascript: address"),
]


def test_no_template_needs_unsafe_inline():
    # What the policy would block: scripts and styles belong in static/js and static/css.
    found = []
    for template in sorted(TEMPLATES_DIR.rglob("*.html")):
        text = template.read_text()
        found += [f"{template.relative_to(TEMPLATES_DIR)}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert found == []


# --- Cache-Control: no-store -----------------------------------------------------------------------------------


def test_every_page_of_a_signed_in_citizen_is_not_stored(client, citizen, procedure, received):
    dossier, _officers = received
    document = dossier.documents.first()
    client.force_login(citizen)

    paths = [
        "/",  # the home page shows the citizen's name
        "/thu-tuc/",
        reverse("dossiers:my-dossiers"),
        reverse("dossiers:my-dossier", args=[dossier.pk]),
        reverse("dossiers:apply", args=[procedure.code]),
        reverse("dossiers:document-download", args=[dossier.pk, document.pk]),
        reverse("dossiers:issued-document", args=[dossier.pk, "receipt"]),
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert no_store(response), path
        assert "private" in response["Cache-Control"], path


def test_every_page_of_an_officer_is_not_stored(client, received):
    dossier, officers = received
    client.force_login(officers["reception"])

    for path in (reverse("dossiers:officer-home"), reverse("dossiers:officer-dossier", args=[dossier.pk])):
        response = client.get(path)
        assert response.status_code == 200, path
        assert no_store(response), path


def test_api_answers_to_a_token_or_a_session_are_not_stored(citizen, received):
    dossier, _officers = received
    token = APIClient().post(
        "/api/v1/auth/token/", {"username": citizen.email, "password": TEST_PASSWORD}, format="json"
    )
    assert token.status_code == 200, token.content
    with_token = APIClient()
    with_token.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    with_session = APIClient()
    with_session.force_login(citizen)

    for client in (with_token, with_session):
        response = client.get(f"/api/v1/dossiers/{dossier.code}/")
        assert response.status_code == 200
        assert no_store(response)


def test_the_lookup_answer_is_not_stored_on_the_page_or_the_api(client, received):
    dossier, _officers = received
    factor = dossier.applicant_id_number[-4:]

    page = client.post(reverse("dossiers:lookup"), {"code": dossier.code, "second_factor": factor})
    api = APIClient().post("/api/v1/lookup/", {"code": dossier.code, "second_factor": factor}, format="json")

    assert page.status_code == api.status_code == 200
    assert dossier.code in page.content.decode() and api.json()["code"] == dossier.code
    assert no_store(page) and no_store(api)


def test_public_catalogue_pages_read_anonymously_stay_cacheable(client, procedure):
    for path in ("/", "/thu-tuc/", reverse("procedures:detail", args=[procedure.code]), "/api/v1/procedures/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not no_store(response), path


def test_a_signed_out_visitor_is_cacheable_again(client):
    user = UserFactory(citizen=True)
    client.force_login(user)
    assert no_store(client.get("/thu-tuc/"))

    client.post(reverse("portal:logout"))

    assert not no_store(client.get("/thu-tuc/"))
