"""Settings: production secure by default and no start without secrets; local development readable (each log line
once, e-mails summarised)."""

import importlib
import os
import secrets
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def environment(**env: str) -> dict[str, str]:
    """This process's environment without the suite's Django and database variables, plus `env`."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    return {**clean, **env}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (fixed command, our own interpreter)
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment(**{"DJANGO_SETTINGS_MODULE": "config.settings.production", **env}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64)[:60],
        DATABASE_URL="postgres://portal:secret@127.0.0.1:5432/portal",
        DJANGO_ALLOWED_HOSTS="portal.example.vn",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64)[:60],
    "DATABASE_URL": "postgres://portal:secret@127.0.0.1:5432/portal",
    "DJANGO_ALLOWED_HOSTS": "portal.example.vn",
}


@contextmanager
def _fresh_settings_modules():
    """Settings modules imported in the block run anew (each reads the environment once, when imported); the
    suite's own are put back after it."""
    package = importlib.import_module("config.settings")
    saved = {name: module for name, module in sys.modules.items() if name.startswith("config.settings.")}
    for name in saved:
        del sys.modules[name]
    try:
        yield
    finally:
        for name in [name for name in sys.modules if name.startswith("config.settings.")]:
            del sys.modules[name]
            if name not in saved:
                delattr(package, name.rsplit(".", 1)[1])
        sys.modules.update(saved)
        for name, module in saved.items():
            setattr(package, name.rsplit(".", 1)[1], module)


def load_settings(module: str = "config.settings.production", **env: str) -> ModuleType:
    """A settings module as a process started with `env` loads it (its checks raise ImproperlyConfigured),
    imported afresh in this process: a subprocess per case would cost a Python start-up each."""
    with mock.patch.dict(os.environ, environment(**env), clear=True), _fresh_settings_modules():
        return importlib.import_module(module)


def production_settings(**env: str) -> ModuleType:
    return load_settings(**{**PRODUCTION_ENV, **env})


def test_production_refuses_the_placeholder_secret_of_env_example():
    placeholder = next(
        line.split("=", 1)[1]
        for line in (BASE_DIR / ".env.example").read_text().splitlines()
        if line.startswith("DJANGO_SECRET_KEY=")
    )
    for secret in (placeholder, "change-me-" + "x" * 60):
        with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY is still the placeholder from .env.example"):
            production_settings(DJANGO_SECRET_KEY=secret)


def test_production_refuses_a_short_secret():
    with pytest.raises(ImproperlyConfigured, match=r"DJANGO_SECRET_KEY is too short \(49 characters\)"):
        production_settings(DJANGO_SECRET_KEY=secrets.token_urlsafe(64)[:49])


def test_hsts_covers_this_host_by_default_and_subdomains_and_preload_only_by_choice():
    default = production_settings()
    assert default.SECURE_HSTS_SECONDS == 60 * 60 * 24 * 365
    assert default.SECURE_HSTS_INCLUDE_SUBDOMAINS is False
    assert default.SECURE_HSTS_PRELOAD is False
    # Off by the operator's choice: exactly those two deployment warnings are silenced, nothing else.
    assert default.SILENCED_SYSTEM_CHECKS == ["security.W005", "security.W021"]

    opted_in = production_settings(DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="1", DJANGO_SECURE_HSTS_PRELOAD="1")
    assert opted_in.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert opted_in.SECURE_HSTS_PRELOAD is True
    assert opted_in.SILENCED_SYSTEM_CHECKS == []


@pytest.mark.django_db
def test_the_load_balancers_plain_http_probes_are_answered_not_redirected(client, settings):
    production = production_settings()
    settings.SECURE_SSL_REDIRECT = production.SECURE_SSL_REDIRECT
    settings.SECURE_REDIRECT_EXEMPT = production.SECURE_REDIRECT_EXEMPT

    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/").status_code == 301  # everything else still goes to HTTPS


def test_production_with_hsts_subdomains_and_preload_opted_in_passes_the_checklist():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION_ENV,
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
        DJANGO_SECURE_HSTS_PRELOAD="1",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_sessions_end_with_the_browser_and_after_a_working_day(settings):
    # Shared counter and kiosk PCs: the next person must not find the previous one signed in.
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert production_settings(SESSION_COOKIE_AGE_HOURS="4").SESSION_COOKIE_AGE == 4 * 60 * 60


@pytest.mark.django_db
def test_the_session_cookie_is_a_browser_session_cookie(client):
    user = UserFactory(citizen=True)

    response = client.post(reverse("portal:login"), {"username": user.email, "password": TEST_PASSWORD})

    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert client.session.get_expiry_age() == 8 * 60 * 60


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(
        ImproperlyConfigured, match="Set DJANGO_SECRET_KEY to a random value of 50 characters"
    ) as refusal:
        load_settings(DATABASE_URL="postgres://portal:secret@127.0.0.1:5432/portal")

    # Not the local-development way out: production refuses DEBUG.
    assert "DJANGO_DEBUG" not in str(refusal.value)


def test_local_settings_without_debug_ask_for_a_secret_key():
    with pytest.raises(
        ImproperlyConfigured, match="Set DJANGO_SECRET_KEY, or unset DJANGO_DEBUG for local development"
    ):
        load_settings("config.settings.local", DJANGO_DEBUG="0")


def test_local_development_logs_each_line_once_and_each_e_mail_as_one_line():
    # Given local development's settings (manage.py, make run), when Django logs a line and an e-mail is sent
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "import logging; from django.core.mail import send_mail; "
        "logging.getLogger('django.request').warning('Một dòng nhật ký'); "
        "send_mail('Hồ sơ đã được tiếp nhận', 'Nội dung thư', None, ['congdan@example.vn'])",
        DJANGO_SETTINGS_MODULE="config.settings.local",
    )

    # Then each shows once, the e-mail as its recipient and subject, never its MIME text
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert output.count("Một dòng nhật ký") == 1
    assert output.count("E-mail to congdan@example.vn: Hồ sơ đã được tiếp nhận") == 1
    assert "Nội dung thư" not in output
    assert "Content-Type" not in output


def test_production_refuses_debug_mode():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG must be off in production"):
        production_settings(DJANGO_DEBUG="1")


def test_production_refuses_to_start_without_a_database_url():
    with pytest.raises(ImproperlyConfigured, match="Set DATABASE_URL"):
        load_settings(DJANGO_SECRET_KEY=secrets.token_urlsafe(64)[:60])


def test_openapi_schema_is_valid_and_generates_without_warnings(tmp_path):
    # The schema API clients generate code from: every view described, no guessed types.
    schema_file = tmp_path / "schema.yaml"
    result = run_manage(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--api-version",
        "v1",
        "--file",
        str(schema_file),
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=os.environ["DATABASE_URL"],
        REDIS_URL=os.environ["REDIS_URL"],
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "/api/v1/dossiers/{code}/approve/" in schema_file.read_text()
