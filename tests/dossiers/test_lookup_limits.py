"""Brute force of the public lookup: failed attempts are counted per dossier code (from any address, on the
kiosk page and the API together), and the refusal never tells whether the code exists."""

import re

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse

from dossiers.constants import DossierStatus
from dossiers.lookup import LOOKUP_CODE_LOCK_SECONDS
from tests.dossiers.lookup_html import shown_code
from tests.factories import UserFactory, dossier_in_status

pytestmark = pytest.mark.django_db

S = DossierStatus
API_URL = "/api/v1/lookup/"
PAGE_THROTTLED = "Bạn đã tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau 60 phút."
API_THROTTLED = "Bạn tra cứu quá nhiều lần. Hãy thử lại sau 60 phút."


def page_lookup(client, code, second_factor, address="10.1.0.1"):
    return client.post(reverse("dossiers:lookup"), {"code": code, "second_factor": second_factor}, REMOTE_ADDR=address)


def api_lookup(api_client, code, second_factor, address="10.1.0.1"):
    return api_client.post(API_URL, {"code": code, "second_factor": second_factor}, format="json", REMOTE_ADDR=address)


def alert(response) -> str:
    match = re.search(r'role="alert">(.*?)</div>', response.content.decode(), re.S)
    return match.group(1).strip() if match else ""


def without_volatile_parts(response, code: str) -> str:
    """The page with the echoed code and the per-response CSRF token blanked."""
    html = response.content.decode().replace(code, "CODE")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)


def wrong_digits(dossier) -> str:
    for n in range(10_000):
        digits = f"{n:04d}"
        if not dossier.applicant_id_number.endswith(digits) and not dossier.applicant_phone.endswith(digits):
            return digits
    raise AssertionError("unreachable")


@pytest.fixture
def dossier():
    applicant = UserFactory(citizen=True, phone="0912345678")
    dossier, _officers = dossier_in_status(S.RECEIVED, applicant=applicant)
    return dossier


@pytest.fixture
def limits(settings):
    # A generous limit per address, so only the per-code count can refuse.
    settings.LOOKUP_RATE_LIMIT = 1000
    settings.LOOKUP_CODE_FAILURE_LIMIT = 3
    return settings


def test_failures_on_a_code_lock_it_from_every_address_even_with_the_right_digits(client, dossier, limits):
    # Given three failed attempts on one code, each from a different address
    wrong = wrong_digits(dossier)
    failures = [page_lookup(client, dossier.code, wrong, address=f"10.2.0.{n}") for n in range(3)]
    assert [alert(response) for response in failures] == ["Không tìm thấy hồ sơ phù hợp với thông tin đã nhập."] * 3

    # When anyone, from a fresh address, tries the code again, even with the right digits
    right = page_lookup(client, dossier.code, dossier.applicant_id_number[-4:], address="10.3.0.1")

    # Then the attempt is refused with 429 and the wait, and nothing of the dossier is shown
    assert right.status_code == 429
    assert right["Retry-After"] == str(LOOKUP_CODE_LOCK_SECONDS) == "3600"
    assert alert(right) == PAGE_THROTTLED
    assert shown_code(right) is None
    assert dossier.procedure.name not in right.content.decode()


def test_the_code_is_counted_without_case_or_spaces(client, dossier, limits):
    wrong = wrong_digits(dossier)
    for written in (dossier.code.lower(), f" {dossier.code} ", dossier.code):
        page_lookup(client, written, wrong)

    assert page_lookup(client, dossier.code, dossier.applicant_id_number[-4:]).status_code == 429


def test_the_page_and_the_api_count_failures_together(client, api_client, dossier, limits):
    wrong = wrong_digits(dossier)
    page_lookup(client, dossier.code, wrong)
    api_lookup(api_client, dossier.code, wrong)
    page_lookup(client, dossier.code, wrong)

    refused = api_lookup(api_client, dossier.code, dossier.applicant_id_number[-4:])

    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert refused.json() == {"code": "throttled", "detail": API_THROTTLED}


def test_a_locked_unknown_code_is_answered_exactly_like_a_locked_existing_one(client, api_client, dossier, limits):
    # Given an existing code and an unknown one, both failed up to the limit
    unknown = dossier.code[:-4] + ("9999" if not dossier.code.endswith("9999") else "9998")
    wrong = wrong_digits(dossier)
    for code in (dossier.code, unknown):
        for _attempt in range(3):
            api_lookup(api_client, code, wrong)

    # When both are tried again, on the API and on the page
    existing_api, unknown_api = api_lookup(api_client, dossier.code, wrong), api_lookup(api_client, unknown, wrong)
    existing_page, unknown_page = page_lookup(client, dossier.code, wrong), page_lookup(client, unknown, wrong)

    # Then the answers are identical: status, wait and message
    assert existing_api.status_code == unknown_api.status_code == 429
    assert existing_api.json() == unknown_api.json()
    assert existing_api["Retry-After"] == unknown_api["Retry-After"]
    assert existing_page.status_code == unknown_page.status_code == 429
    assert alert(existing_page) == alert(unknown_page) == PAGE_THROTTLED
    assert without_volatile_parts(existing_page, dossier.code) == without_volatile_parts(unknown_page, unknown)


def test_successful_lookups_and_invalid_forms_are_not_failures(client, dossier, limits):
    right = dossier.applicant_id_number[-4:]
    for _attempt in range(5):
        assert shown_code(page_lookup(client, dossier.code, right)) == dossier.code
    for _attempt in range(5):
        page_lookup(client, dossier.code, "12")  # refused by the form: no lookup made

    assert shown_code(page_lookup(client, dossier.code, right)) == dossier.code


def test_invalid_input_counts_against_the_address_on_the_page_and_the_api_together(
    client, api_client, dossier, settings
):
    # Given a limit of three attempts a minute, spent by one address on input the page and the API refuse
    settings.LOOKUP_RATE_LIMIT = 3
    invalid = [
        page_lookup(client, dossier.code, "abcd").status_code,  # not digits
        page_lookup(client, dossier.code, "12").status_code,  # too short
        api_client.post(API_URL, {"code": dossier.code}, format="json", REMOTE_ADDR="10.1.0.1").status_code,
    ]
    assert invalid == [200, 200, 400]

    # When that address tries the right digits, or invalid input again, on either
    right = dossier.applicant_id_number[-4:]
    refused = [
        page_lookup(client, dossier.code, right),
        api_lookup(api_client, dossier.code, right),
        page_lookup(client, dossier.code, "ab"),
        api_client.post(API_URL, {}, format="json", REMOTE_ADDR="10.1.0.1"),
    ]

    # Then every attempt is refused for the minute, with the same wait, and nothing is shown
    assert [response.status_code for response in refused] == [429] * 4
    assert {response["Retry-After"] for response in refused} == {"60"}
    assert shown_code(refused[0]) is None and alert(refused[0]).endswith("1 phút.")
    assert refused[3].json() == {"code": "throttled", "detail": "Bạn tra cứu quá nhiều lần. Hãy thử lại sau 1 phút."}
    # while another address is served
    assert shown_code(page_lookup(client, dossier.code, right, address="10.1.0.2")) == dossier.code


def test_other_codes_are_not_affected(client, dossier, limits):
    other, _officers = dossier_in_status(S.SUBMITTED)
    for _attempt in range(3):
        page_lookup(client, dossier.code, wrong_digits(dossier))

    response = page_lookup(client, other.code, other.applicant_id_number[-4:])

    assert response.status_code == 200
    assert shown_code(response) == other.code


def test_the_lock_lasts_an_hour_after_the_last_failure(client, dossier, limits):
    wrong = wrong_digits(dossier)
    for _attempt in range(3):
        page_lookup(client, dossier.code, wrong)

    redis = cache._cache.get_client()
    ttl = redis.ttl(cache.make_and_validate_key(f"failures:lookup-code:{dossier.code}"))
    assert LOOKUP_CODE_LOCK_SECONDS - 5 <= ttl <= LOOKUP_CODE_LOCK_SECONDS

    # and refused attempts do not extend it
    redis.expire(cache.make_and_validate_key(f"failures:lookup-code:{dossier.code}"), 100)
    page_lookup(client, dossier.code, wrong)
    assert redis.ttl(cache.make_and_validate_key(f"failures:lookup-code:{dossier.code}")) <= 100

    # and once it has expired, the code is served again
    cache.delete(f"failures:lookup-code:{dossier.code}")
    assert page_lookup(client, dossier.code, dossier.applicant_id_number[-4:]).status_code == 200


def test_the_api_takes_no_get(api_client, dossier):
    response = api_client.get(API_URL, {"code": dossier.code, "second_factor": dossier.applicant_id_number[-4:]})

    assert response.status_code == 405
    assert "status" not in response.json()


def test_the_address_window_expires_on_a_redis_without_expire_nx(api_client, dossier, monkeypatch):
    # Given a Redis older than 7.0, which answers EXPIRE … NX with an error (simulated: an unknown option)
    def old_expire(self, name, time, **options):
        return self.execute_command("EXPIRE", name, time, "NOSUCHOPTION")

    monkeypatch.setattr(redis.client.Pipeline, "expire", old_expire)
    right = dossier.applicant_id_number[-4:]

    # When an address looks up twice
    answers = [api_lookup(api_client, dossier.code, right, address="10.9.0.1").status_code for _ in range(2)]

    # Then both are answered, counted, and the counter still expires with its window
    assert answers == [200, 200]
    client = cache._cache.get_client()
    counter = cache.make_and_validate_key("ratelimit:lookup:10.9.0.1")
    assert int(client.get(counter)) == 2
    assert 0 < client.ttl(counter) <= 60
