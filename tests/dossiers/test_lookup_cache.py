"""The public lookup's cache (dossiers/lookup/cache.py): a repeated lookup costs no SQL, a transition shows at
once, a wrong second factor never reads a cached answer, and both rate limits count cached answers too."""

import re

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse

from dossiers import services
from dossiers.api.serializers import LookupSerializer, lookup_payload
from dossiers.constants import DossierStatus
from dossiers.lookup import cache as lookup_cache
from dossiers.lookup import dossier_public_lookup
from tests.dossiers.lookup_html import shown_code, shown_status
from tests.factories import UserFactory, dossier_in_status

pytestmark = pytest.mark.django_db

S = DossierStatus
API_URL = "/api/v1/lookup/"


def api_lookup(api_client, code, second_factor, address="10.5.0.1"):
    return api_client.post(API_URL, {"code": code, "second_factor": second_factor}, format="json", REMOTE_ADDR=address)


def page_lookup(client, code, second_factor, address="10.5.0.1"):
    return client.post(reverse("dossiers:lookup"), {"code": code, "second_factor": second_factor}, REMOTE_ADDR=address)


def wrong_digits(dossier) -> str:
    for n in range(10_000):
        digits = f"{n:04d}"
        if not dossier.applicant_id_number.endswith(digits) and not dossier.applicant_phone.endswith(digits):
            return digits
    raise AssertionError("unreachable")


def result_section(response) -> str:
    html = response.content.decode()
    return html[html.index('<section class="panel lookup-result"') : html.index("</section>")]


def template_names(response) -> list[str]:
    return [template.name for template in response.templates]


def raw_entry(code: str) -> bytes | None:
    return cache._cache.get_client().get(cache.make_and_validate_key(lookup_cache.entry_key(code)))


@pytest.fixture
def submitted():
    applicant = UserFactory(citizen=True, phone="0912345678")
    dossier, officers = dossier_in_status(S.SUBMITTED, applicant=applicant)
    return dossier, officers


@pytest.fixture
def limits(settings):
    settings.LOOKUP_RATE_LIMIT = 1000
    settings.LOOKUP_CODE_FAILURE_LIMIT = 3
    return settings


def test_a_repeated_api_lookup_runs_no_sql(api_client, submitted, django_assert_num_queries):
    # Given a dossier looked up once (expected query: the dossier's shown columns with the procedure's and
    # agency's names, on each of its events' two columns)
    dossier, _ = submitted
    digits = dossier.applicant_id_number[-4:]
    with django_assert_num_queries(1):
        first = api_lookup(api_client, dossier.code, digits)

    # When it is looked up again
    # Then the answer comes from the cache: no query, the same body
    with django_assert_num_queries(0):
        again = api_lookup(api_client, dossier.code, digits)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.json()["status"] == "submitted"


def test_a_repeated_page_lookup_runs_no_sql(client, submitted, django_assert_num_queries):
    dossier, _ = submitted
    digits = dossier.applicant_id_number[-4:]
    first = page_lookup(client, dossier.code, digits)

    # Expected queries: none (the anonymous site shell reads nothing either).
    with django_assert_num_queries(0):
        again = page_lookup(client, dossier.code, digits)

    assert shown_code(again) == shown_code(first) == dossier.code
    assert result_section(again) == result_section(first)


def test_the_page_renders_a_cached_answer_once_per_language(client, submitted, settings):
    # Given a dossier looked up once on the page (its answer kept with a version, its section rendered)
    dossier, _ = submitted
    digits = dossier.applicant_id_number[-4:]
    first = page_lookup(client, dossier.code, digits)
    assert "dossiers/public/lookup_result.html" in template_names(first)

    # When it is looked up again, then in English
    again = page_lookup(client, dossier.code, digits)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = page_lookup(client, dossier.code, digits)

    # Then the second answer prints the section kept in the process's memory, not rendered again; English gets
    # its own, in English
    assert "dossiers/public/lookup_result.html" not in template_names(again)
    assert result_section(again) == result_section(first)
    assert "dossiers/public/lookup_result.html" in template_names(english)
    assert "Submit" in result_section(english) and "Nộp hồ sơ" not in result_section(english)


def test_the_api_renders_a_cached_answer_once_per_language(api_client, submitted, monkeypatch, settings):
    # Given a dossier looked up once through the API (its answer kept with a version, its JSON rendered)
    from dossiers.api import lookup as lookup_api

    dossier, _ = submitted
    digits = dossier.applicant_id_number[-4:]
    built = []
    monkeypatch.setattr(lookup_api, "lookup_payload", lambda found: built.append(found.code) or lookup_payload(found))
    first = api_lookup(api_client, dossier.code, digits)

    # When it is looked up again, then in English
    again = api_lookup(api_client, dossier.code, digits)
    api_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = api_lookup(api_client, dossier.code, digits)

    # Then the second answer is the JSON kept in the process's memory, byte for byte; English gets its own
    assert first["Content-Type"] == again["Content-Type"] == "application/json"
    assert again.content == first.content
    assert english.json()["code"] == dossier.code
    assert english.json()["status_label"] != first.json()["status_label"] == "Mới đăng ký"
    assert built == [dossier.code, dossier.code]


def test_a_new_version_of_the_answer_renders_a_new_section(client, submitted, django_capture_on_commit_callbacks):
    # Given a page lookup whose section was rendered and kept
    dossier, officers = submitted
    digits = dossier.applicant_id_number[-4:]
    page_lookup(client, dossier.code, digits)
    version = cache.get(lookup_cache.entry_key(dossier.code))[2]["version"]

    # When a transition forgets the answer and the next lookup reads and keeps it again
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_receive(dossier=dossier, officer=officers["reception"])
    page = page_lookup(client, dossier.code, digits)

    # Then the answer has a new version, and its section is rendered anew, with the new status
    assert cache.get(lookup_cache.entry_key(dossier.code))[2]["version"] != version
    assert "dossiers/public/lookup_result.html" in template_names(page)
    assert "Đã tiếp nhận" in result_section(page)


def test_the_lookup_answers_when_its_answer_cannot_be_kept(api_client, client, submitted, monkeypatch):
    # Given Redis gone after the lookup's round trip (the answer cannot be kept)
    dossier, _ = submitted
    digits = dossier.applicant_id_number[-4:]

    class DownCache:
        def set(self, *args, **kwargs):
            raise redis.exceptions.ConnectionError("Redis is down")

    monkeypatch.setattr(lookup_cache, "cache", DownCache())

    # When the API and the page look the dossier up, twice each
    api = [api_lookup(api_client, dossier.code, digits) for _ in range(2)]
    pages = [page_lookup(client, dossier.code, digits) for _ in range(2)]

    # Then both answer from the database, and each page renders its section (none was kept to share)
    assert [response.status_code for response in api + pages] == [200] * 4
    assert all(response.json()["status"] == "submitted" for response in api)
    assert all("dossiers/public/lookup_result.html" in template_names(page) for page in pages)
    assert raw_entry(dossier.code) is None


def test_one_redis_round_trip_for_a_cached_lookup(api_client, submitted, monkeypatch):
    dossier, _ = submitted
    digits = dossier.applicant_id_number[-4:]
    api_lookup(api_client, dossier.code, digits)
    sent = []
    original = redis.connection.AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(command)
        return original(self, command, check_health)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counting)

    response = api_lookup(api_client, dossier.code, digits)

    # The attempt counted, the code's failures, token and entry read: one pipeline, one write to the socket.
    assert response.status_code == 200
    assert len(sent) == 1


def test_a_transition_shows_at_once(api_client, client, submitted, django_capture_on_commit_callbacks):
    # Given a dossier whose answer is cached on the API and the page
    dossier, officers = submitted
    digits = dossier.applicant_id_number[-4:]
    assert api_lookup(api_client, dossier.code, digits).json()["status"] == "submitted"
    assert shown_status(page_lookup(client, dossier.code, digits)) == "submitted"

    # When the desk receives it (the transaction commits)
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_receive(dossier=dossier, officer=officers["reception"])

    # Then the next lookups show the new status, due date and step
    body = api_lookup(api_client, dossier.code, digits).json()
    assert body["status"] == "received"
    assert body["due_at"]
    assert [e["action"] for e in body["timeline"]] == ["submit", "receive"]
    page = page_lookup(client, dossier.code, digits)
    assert shown_status(page) == "received"
    assert "Đã tiếp nhận" in page.content.decode()


def test_an_answer_read_before_the_commit_dies_with_the_commit(
    api_client, submitted, django_capture_on_commit_callbacks
):
    # Given a lookup that read the dossier while a transition was still open, and stored that old answer
    # after the transition's first `forget` (the worst interleaving of two requests)
    dossier, officers = submitted
    digits = dossier.applicant_id_number[-4:]
    old = dossier_public_lookup(code=dossier.code, second_factor=digits)
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_refuse(dossier=dossier, officer=officers["reception"], reason="Thiếu giấy tờ")
        token = cache.get(lookup_cache.token_key(dossier.code))
        lookup_cache.store(
            code=dossier.code,
            token=token,
            public=old,
            id_number=dossier.applicant_id_number,
            phone=dossier.applicant_phone,
        )
        # (before the commit, that entry is the current one)
        assert api_lookup(api_client, dossier.code, digits).json()["status"] == "submitted"

    # When the transaction has committed, Then the old answer is never served again
    assert api_lookup(api_client, dossier.code, digits).json()["status"] == "refused"


def test_a_wrong_second_factor_never_reads_the_cached_answer(api_client, submitted, limits):
    # Given a cached answer, altered in the cache so that an answer served from it can be told apart
    dossier, _ = submitted
    digits = dossier.applicant_id_number[-4:]
    api_lookup(api_client, dossier.code, digits)
    key = lookup_cache.entry_key(dossier.code)
    token, digests, facts = cache.get(key)
    # (a new version too: an answer's rendering is kept per version, as a real change of the facts brings one)
    cache.set(key, (token, digests, {**facts, "procedure": "FROM THE CACHE", "version": "altered"}), timeout=60)
    assert api_lookup(api_client, dossier.code, digits).json()["procedure_name"] == "FROM THE CACHE"

    # When the code is looked up with digits that end neither the ID nor the phone
    wrong = api_lookup(api_client, dossier.code, wrong_digits(dossier))

    # Then the answer is the plain 404, and the failure is counted against the code
    assert wrong.status_code == 404
    assert "FROM THE CACHE" not in wrong.content.decode()
    assert cache.get(f"failures:lookup-code:{dossier.code}") == 1


def test_every_accepted_second_factor_reads_the_same_entry(api_client, submitted, django_assert_num_queries):
    # Given an answer cached by a lookup with the ID's last 4 digits
    dossier, _ = submitted
    api_lookup(api_client, dossier.code, dossier.applicant_id_number[-4:])

    # Then the phone's digits and a longer ending of the ID are answered from it as well
    with django_assert_num_queries(0):
        by_phone = api_lookup(api_client, dossier.code, "345678")
        by_more_digits = api_lookup(api_client, dossier.code, dossier.applicant_id_number[-7:])
    assert by_phone.status_code == by_more_digits.status_code == 200


def test_the_address_limit_counts_cached_answers(api_client, client, submitted, settings):
    # Given a limit of 3 attempts per minute and address
    settings.LOOKUP_RATE_LIMIT = 3
    dossier, _ = submitted
    digits = dossier.applicant_id_number[-4:]

    # When the same address looks the dossier up 4 times (the last three from the cache), page and API mixed
    answers = [api_lookup(api_client, dossier.code, digits).status_code for _ in range(2)]
    answers.append(page_lookup(client, dossier.code, digits).status_code)
    refused = api_lookup(api_client, dossier.code, digits)

    # Then the fourth is refused
    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "status" not in refused.json()


def test_a_locked_code_is_refused_even_with_a_cached_answer(api_client, client, submitted, limits):
    # Given a cached answer, then as many failures on the code as the limit allows
    dossier, _ = submitted
    digits = dossier.applicant_id_number[-4:]
    assert api_lookup(api_client, dossier.code, digits).status_code == 200
    for n in range(3):
        api_lookup(api_client, dossier.code, wrong_digits(dossier), address=f"10.6.0.{n}")

    # When anyone tries the right digits
    api = api_lookup(api_client, dossier.code, digits, address="10.7.0.1")
    page = page_lookup(client, dossier.code, digits, address="10.7.0.2")

    # Then both are refused for the hour, and nothing of the dossier is shown
    assert api.status_code == page.status_code == 429
    assert api["Retry-After"] == page["Retry-After"] == "3600"
    assert shown_code(page) is None
    assert dossier.procedure.name not in page.content.decode()


def test_the_cache_keeps_nothing_personal_and_not_the_digits(api_client, submitted):
    dossier, _ = submitted
    api_lookup(api_client, dossier.code, dossier.applicant_id_number[-4:])

    token, digests, facts = cache.get(lookup_cache.entry_key(dossier.code))

    assert set(facts) == {
        *("code", "status", "procedure", "agency", "submitted_at", "due_at", "events", "sections", "version")
    }
    assert all(re.fullmatch(r"[0-9a-f]{64}", digest) for digest in digests)
    assert dossier.applicant_id_number[-4:] not in digests and "5678" not in digests
    raw = raw_entry(dossier.code)
    for secret in (
        dossier.applicant_name,
        dossier.applicant_id_number,
        dossier.applicant_email,
        dossier.applicant_phone,
    ):
        assert secret.encode() not in raw


def test_entries_last_a_minute_at_most(api_client, submitted, settings):
    dossier, _ = submitted
    api_lookup(api_client, dossier.code, dossier.applicant_id_number[-4:])

    ttl = cache._cache.get_client().ttl(cache.make_and_validate_key(lookup_cache.entry_key(dossier.code)))

    assert 0 < ttl <= settings.LOOKUP_CACHE_SECONDS == 60


def test_the_cache_can_be_turned_off(api_client, submitted, settings, django_assert_num_queries):
    settings.LOOKUP_CACHE_SECONDS = 0
    dossier, _ = submitted
    api_lookup(api_client, dossier.code, dossier.applicant_id_number[-4:])

    # Expected query, as for any lookup without the cache: the dossier on its timeline.
    with django_assert_num_queries(1):
        assert api_lookup(api_client, dossier.code, dossier.applicant_id_number[-4:]).status_code == 200
    assert raw_entry(dossier.code) is None


def test_without_redis_the_cache_and_the_limits_still_work(api_client, submitted, settings, django_assert_num_queries):
    # Given the local-memory cache of `make run` (no Redis: no pipeline, the plain cache calls)
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.LOOKUP_RATE_LIMIT = 2
    dossier, _ = submitted
    digits = dossier.applicant_id_number[-4:]

    first = api_lookup(api_client, dossier.code, digits)
    with django_assert_num_queries(0):
        again = api_lookup(api_client, dossier.code, digits)
    refused = api_lookup(api_client, dossier.code, digits)

    assert first.status_code == again.status_code == 200
    assert refused.status_code == 429


def test_a_failed_lookup_stores_nothing(api_client, submitted):
    dossier, _ = submitted

    api_lookup(api_client, dossier.code, wrong_digits(dossier))

    assert raw_entry(dossier.code) is None


def test_a_transition_goes_through_when_the_cache_is_down(submitted, monkeypatch, django_capture_on_commit_callbacks):
    class DownCache:
        def set(self, *args, **kwargs):
            raise ConnectionError("Redis is down")

    dossier, officers = submitted
    monkeypatch.setattr(lookup_cache, "cache", DownCache())

    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_receive(dossier=dossier, officer=officers["reception"])

    dossier.refresh_from_db()
    assert dossier.status == S.RECEIVED


def test_accepted_factors_are_every_ending_of_four_digits_or_more():
    assert lookup_cache.accepted_factors("001203004567", "0912345678") == {
        *("4567", "04567", "004567", "3004567", "03004567", "203004567", "1203004567", "01203004567"),
        "001203004567",
        *("5678", "45678", "345678", "2345678", "12345678", "912345678", "0912345678"),
    }
    # a tax code with a branch suffix: only its digit endings of 4 or more
    assert lookup_cache.accepted_factors("0101234567-0012") == {"0012"}


def test_the_api_payload_is_what_the_serializer_documents(api_client, submitted, django_capture_on_commit_callbacks):
    dossier, officers = submitted
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_receive(dossier=dossier, officer=officers["reception"])
    found = dossier_public_lookup(code=dossier.code, second_factor=dossier.applicant_id_number[-4:])

    assert lookup_payload(found) == LookupSerializer(found).data
    assert found.due_at is not None and len(found.events) == 2
