"""Who the visitor is behind the TLS proxy: `TRUSTED_PROXY_COUNT` decides whether X-Forwarded-For is read,
and the lookup limits and django-axes' sign-in lockouts both follow it."""

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse

from portal.ratelimit import client_address
from tests.factories import TEST_PASSWORD, UserFactory

PROXY = "127.0.0.1"  # gunicorn's only peer: the proxy on the same machine
LOOKUP_URL = "/api/v1/lookup/"
LOGIN = reverse("portal:login")


def request_from(remote_addr=PROXY, forwarded_for=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def test_axes_asks_the_same_function():
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "portal.ratelimit.axes_client_address"
    assert django_settings.TRUSTED_PROXY_COUNT == 0  # the default: no proxy trusted


def test_without_a_trusted_proxy_a_forged_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_address(request_from("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        ("203.0.113.5", "203.0.113.5"),  # what the proxy appended
        ("6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a client's forged entry, left of the proxy's, is not read
        ("6.6.6.6,203.0.113.5 ", "203.0.113.5"),
        ("2001:db8::1", "2001:db8::1"),
        ("", PROXY),  # not through the proxy (a health check on the loopback): the socket's address
        (None, PROXY),
        ("6.6.6.6, not-an-address", PROXY),  # a broken header is never used as a key
    ],
)
def test_with_one_proxy_the_last_hop_is_the_visitor(settings, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_address(request_from(PROXY, forwarded_for)) == expected


def test_with_two_proxies_the_second_hop_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_address(request_from(PROXY, "6.6.6.6, 203.0.113.5, 10.0.0.2")) == "203.0.113.5"
    assert client_address(request_from(PROXY, "10.0.0.2")) == PROXY


# --- the lookup limit --------------------------------------------------------------------------


def lookup(api_client, forwarded_for):
    return api_client.post(
        LOOKUP_URL,
        {"code": "000.00.25.H56-250101-0001", "second_factor": "1234"},
        format="json",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
def test_two_visitors_behind_the_proxy_have_separate_lookup_limits(api_client, settings):
    # Given one proxy in front, and a limit of 2 lookups a minute
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOOKUP_RATE_LIMIT = 2

    # When one visitor uses up its budget
    first = [lookup(api_client, "203.0.113.5").status_code for _ in range(3)]

    # Then it is refused, while another visitor behind the same proxy is still served
    assert first == [404, 404, 429]
    assert lookup(api_client, "203.0.113.6").status_code == 404
    # and forging an entry in front of the proxy's does not get the first visitor a new budget
    assert lookup(api_client, "198.51.100.1, 203.0.113.5").status_code == 429


@pytest.mark.django_db
def test_without_a_trusted_proxy_forging_the_header_does_not_escape_the_limit(api_client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.LOOKUP_RATE_LIMIT = 2

    answers = [lookup(api_client, f"203.0.113.{n}").status_code for n in range(3)]

    assert answers == [404, 404, 429]


# --- sign-in lockout (django-axes) -------------------------------------------------------------


def sign_in(client, user, password, forwarded_for):
    return client.post(
        LOGIN,
        {"username": user.email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
def test_a_lockout_behind_the_proxy_locks_one_visitor_not_everyone(client, settings):
    # Given one proxy in front, and a guesser at one address who locks an account
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory(citizen=True)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, user, "sai-mat-khau", "203.0.113.66")

    # When the owner signs in from another address behind the same proxy, it gets in
    owner = sign_in(client, user, TEST_PASSWORD, "203.0.113.7")
    assert owner.status_code == 302

    # while the guesser's address stays locked, forged header or not
    client.logout()
    assert sign_in(client, user, TEST_PASSWORD, "203.0.113.66").status_code == 429
    assert sign_in(client, user, TEST_PASSWORD, "198.51.100.1, 203.0.113.66").status_code == 429


@pytest.mark.django_db
def test_without_a_trusted_proxy_a_forged_header_does_not_escape_a_lockout(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    user = UserFactory(citizen=True)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, user, "sai-mat-khau", f"203.0.113.{attempt}")

    assert sign_in(client, user, TEST_PASSWORD, "203.0.113.99").status_code == 429
