"""Faults from outside the code: a NUL byte in an address, and the database unreachable or restarted.

The database tests break the real connection (a port where nothing listens, a backend terminated by
pg_terminate_backend from a second connection) and serve the request through Django's real WSGI handler,
whose request signals run the connection checks a server runs (the test client turns them off)."""

import json
import socket
from contextlib import contextmanager

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.test import RequestFactory

from tests.factories import ProcedureFactory, UserFactory

# --- a NUL byte in the address -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/thu-tuc/%00/",
        "/thu-tuc/1.001612%00/",
        "/nop-ho-so/%00/",
        "/thu-tuc/%00/mau/1/",
        "/%00",
        "/thu-tuc/?q=%00",
        "/thu-tuc/?q=nh%C3%A0%00",
        "/tra-cuu/?code=%00",
        "/can-bo/hang-doi/%00/",
    ],
)
@pytest.mark.django_db
def test_a_nul_byte_in_a_page_address_is_the_portals_404(client, url):
    # Given a signed-in citizen (and the catalogue it searches)
    ProcedureFactory(code="1.001612")
    user = UserFactory(citizen=True)
    client.force_login(user)

    # When it opens an address with a NUL byte in the path or the query
    response = client.get(url)

    # Then it gets the portal's own 404 page, signed in as before
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert user.full_name in html


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/procedures/%00/",
        "/api/v1/procedures/?search=%00",
        "/api/v1/dossiers/%00/",
        "/api/v1/dossiers/?status=%00",
        "/api/v1/%00/",
        "/api/schema/?format=%00",
    ],
)
@pytest.mark.django_db
def test_a_nul_byte_in_an_api_address_is_a_json_404(client, url):
    client.force_login(UserFactory(citizen=True))

    response = client.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "not_found", "detail": "Không tìm thấy."}


@pytest.mark.django_db
def test_a_nul_byte_in_a_query_name_is_404_and_ordinary_addresses_still_work(client):
    ProcedureFactory(code="1.001612", name="Đăng ký khai sinh")

    assert client.get("/thu-tuc/?q%00=x").status_code == 404
    assert client.post("/api/v1/lookup/?%00").status_code == 404
    assert client.get("/thu-tuc/1.001612/").status_code == 200
    assert "Đăng ký khai sinh" in client.get("/thu-tuc/?q=khai%20sinh").content.decode()


# --- the database unreachable or restarted -------------------------------------------------------


def serve(path: str, *, cookies: dict | None = None, **headers):
    """One GET through Django's WSGI handler, as gunicorn would call it: request_started closes unusable and
    obsolete connections and arms the health check, request_finished (on close) closes failed ones."""
    environ = RequestFactory().get(path, **headers).environ
    if cookies:
        environ["HTTP_COOKIE"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(response_headers)

    result = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        result.close()
    return answer["status"], answer["headers"], body


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def terminate(pid: int) -> None:
    """Kill a backend from a second connection, as a database restart does to every open connection."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            # Waits until the backend has exited (pg_terminate_backend alone only signals it).
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone()[0] is True
    finally:
        other.close()


@contextmanager
def unreachable_database():
    """The database address turned to a local port where nothing listens, for the requests inside; restored
    afterwards (the test database is flushed through it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    saved = {key: connection.settings_dict[key] for key in ("HOST", "PORT")}
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def signed_in_cookies(client, user) -> dict:
    client.force_login(user)
    return {name: morsel.value for name, morsel in client.cookies.items()}


def assert_unavailable_page(status, headers, body):
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert headers["Content-Type"].startswith("text/html")
    assert "no-store" in headers["Cache-Control"]
    html = body.decode()
    assert "tạm thời gián đoạn" in html
    return html


def assert_unavailable_json(status, headers, body):
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert headers["Content-Type"] == "application/json"
    answer = json.loads(body)
    assert answer["code"] == "service_unavailable"
    assert "tạm thời gián đoạn" in answer["detail"]


@pytest.mark.django_db(transaction=True)
def test_the_database_unreachable_answers_503_on_pages_and_json_503_on_the_api(client):
    # Given a signed-in citizen (its session is in the database) and a catalogue
    ProcedureFactory(code="1.001612", name="Đăng ký khai sinh")
    cookies = signed_in_cookies(client, UserFactory(citizen=True, full_name="Nguyễn Thị Mai"))
    assert serve("/thu-tuc/")[0] == 200

    # When the database cannot be reached
    with unreachable_database():
        public_page = serve("/thu-tuc/1.001612/")
        own_page = serve("/ho-so-cua-toi/", cookies=cookies)
        public_api = serve("/api/v1/procedures/")
        own_api = serve("/api/v1/dossiers/", cookies=cookies)

    # Then pages get the interruption page, rendered without the user (nothing asked the database again)
    assert_unavailable_page(*public_page)
    assert "Nguyễn Thị Mai" not in assert_unavailable_page(*own_page)
    # and the API a JSON 503 an API client can act on
    assert_unavailable_json(*public_api)
    assert_unavailable_json(*own_api)
    # and once the database is back, the same addresses work
    assert serve("/thu-tuc/1.001612/")[0] == 200
    assert serve("/api/v1/dossiers/", cookies=cookies)[0] == 200


@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_between_requests_is_replaced_by_the_health_check():
    # Given a kept connection that served a request
    ProcedureFactory(code="1.001612", name="Đăng ký khai sinh")
    assert serve("/thu-tuc/")[0] == 200
    killed = backend_pid()

    # When the database drops it (a restart, a failover, an idle timeout)
    terminate(killed)

    # Then the next request notices before using it, connects again and is served
    status, _headers, body = serve("/api/v1/procedures/")
    assert status == 200
    assert "Đăng ký khai sinh" in body.decode()
    assert backend_pid() != killed


def lose_connection_unchecked() -> None:
    """The kept connection dies, and no health check catches it before the request uses it: the database
    going down between the check and the query looks the same to the view."""
    pid = backend_pid()
    connection.health_check_enabled = False  # until the next connect
    terminate(pid)


@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_during_a_request_answers_503_and_the_next_request_recovers():
    ProcedureFactory(code="1.001612", name="Đăng ký khai sinh")
    assert serve("/thu-tuc/")[0] == 200

    # When the connection is lost under a request, an API client gets the JSON 503
    lose_connection_unchecked()
    assert_unavailable_json(*serve("/api/v1/procedures/"))
    # and a visitor the interruption page
    lose_connection_unchecked()
    assert_unavailable_page(*serve("/thu-tuc/1.001612/"))

    # Then the failed connection is dropped at the end of the request, and the next one is served
    assert serve("/thu-tuc/1.001612/")[0] == 200


def test_connections_are_health_checked(settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
