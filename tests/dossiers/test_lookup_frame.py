"""The lookup page's answers printed from its frame (dossiers/views/lookup_frame.py) are the page the templates
render, byte for byte but for the CSRF token, and the frame is used only where nothing else the shell prints differs."""

import re
from contextlib import contextmanager

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import Client, RequestFactory
from django.urls import reverse

from dossiers.constants import DossierStatus
from dossiers.views import lookup_frame
from tests.dossiers.lookup_html import shown_code
from tests.factories import UserFactory, dossier_in_status

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def post(client, data, path=None, **extra):
    return client.post(path or reverse("dossiers:lookup"), data, **extra)


@contextmanager
def from_the_templates():
    """Within it, every answer is rendered by the templates."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lookup_frame, "applies", lambda request, *, code: False)
        yield


def same_page(framed, rendered) -> None:
    """The two answers are the same page with the same headers; the CSRF tokens differ (each answer masks its
    own), and both forms of a page carry the same one, as the templates print it."""
    assert framed.status_code == rendered.status_code
    tokens = TOKEN.findall(framed.content.decode())
    assert len(tokens) == 2 and len(set(tokens)) == 1
    assert TOKEN.sub("", framed.content.decode()) == TOKEN.sub("", rendered.content.decode())
    # (Expires is the time of the answer: never_cache)
    assert {**framed.headers, "Expires": ""} == {**rendered.headers, "Expires": ""}
    assert set(framed.cookies) == set(rendered.cookies)


@pytest.fixture
def dossier():
    dossier, _officers = dossier_in_status(DossierStatus.PROCESSING)
    return dossier


@pytest.mark.parametrize("language", ["vi", "en"])
def test_found_not_found_and_throttled_answers_are_the_templates_page(dossier, settings, language):
    settings.LOOKUP_RATE_LIMIT = 4
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    right = {"code": dossier.code, "second_factor": dossier.applicant_id_number[-4:]}
    wrong = {
        "code": dossier.code,
        "second_factor": "0000" if not dossier.applicant_id_number.endswith("0000") else "1111",
    }

    framed = [post(client, right), post(client, wrong)]
    with from_the_templates():
        rendered = [post(client, right), post(client, wrong)]
    # the fifth attempt of the minute is refused; invalid input is put back as it was typed, escaped
    throttled = {"code": "<b>x&y</b>", "second_factor": "12"}
    framed.append(post(client, throttled))
    with from_the_templates():
        rendered.append(post(client, throttled))

    assert [response.status_code for response in framed] == [200, 200, 429]
    assert shown_code(framed[0]) == dossier.code
    assert 'name="code" value="&lt;b&gt;x&amp;y&lt;/b&gt;"' in framed[2].content.decode()
    for framed_page, rendered_page in zip(framed, rendered, strict=True):
        same_page(framed_page, rendered_page)


def test_a_query_string_in_the_address_is_sent_back_by_the_language_form(dossier):
    client = Client()
    data = {"code": dossier.code, "second_factor": dossier.applicant_id_number[-4:]}
    post(client, data)  # the frame of this address without a query string

    response = post(client, data, path=reverse("dossiers:lookup") + "?from=qr")

    assert shown_code(response) == dossier.code
    assert 'name="next" value="/tra-cuu/?from=qr"' in response.content.decode()


def test_a_signed_in_visitor_gets_their_own_shell(dossier):
    # Given the frame rendered for anonymous visitors
    data = {"code": dossier.code, "second_factor": dossier.applicant_id_number[-4:]}
    anonymous = Client()
    post(anonymous, data)

    # When a signed-in citizen looks the dossier up, then an anonymous visitor again
    citizen = UserFactory(citizen=True, full_name="Trần Thị Bình")
    signed_in = Client()
    signed_in.force_login(citizen)
    theirs = post(signed_in, data).content.decode()
    again = post(anonymous, data).content.decode()

    # Then the citizen's page shows who is signed in, and the anonymous page does not
    assert "Trần Thị Bình" in theirs and reverse("portal:logout") in theirs
    assert "Trần Thị Bình" not in again and reverse("portal:logout") not in again
    assert dossier.code in theirs and dossier.code in again


def test_the_frame_applies_only_where_the_shell_prints_the_same():
    factory = RequestFactory()

    def request(path="/tra-cuu/", *, user=None, message=None):
        made = factory.post(path)
        made.user = user or AnonymousUser()
        made.session = {}
        made._messages = FallbackStorage(made)
        if message:
            messages.info(made, message)
        return made

    assert lookup_frame.applies(request(), code="X")
    assert not lookup_frame.applies(request(), code="")
    assert not lookup_frame.applies(request("/tra-cuu/?a=1"), code="X")
    assert not lookup_frame.applies(request(user=UserFactory.build()), code="X")
    assert not lookup_frame.applies(request(message="Đã lưu."), code="X")


def test_the_token_the_frame_prints_is_accepted_and_a_post_without_one_is_refused(dossier):
    client = Client(enforce_csrf_checks=True)
    token = TOKEN.search(client.get(reverse("dossiers:lookup")).content.decode()).group(1)
    data = {"code": dossier.code, "second_factor": dossier.applicant_id_number[-4:]}

    first = post(client, {**data, "csrfmiddlewaretoken": token})
    printed = TOKEN.search(first.content.decode()).group(1)
    second = post(client, {**data, "csrfmiddlewaretoken": printed})

    assert shown_code(first) == shown_code(second) == dossier.code
    assert post(client, data).status_code == 403
