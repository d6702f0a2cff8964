"""Postal settings: production refuses the sandbox carrier and VNPost enabled without its own configuration; local
development and the tests send parcels through the sandbox carrier."""

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tests.portal.test_settings import load_settings, production_settings

VNPOST_ENV = {
    "POSTAL_CARRIERS": "vnpost",
    "VNPOST_CUSTOMER_CODE": "TINHTH01",
    "VNPOST_API_TOKEN": "a-token-from-the-environment",
    "VNPOST_WEBHOOK_SECRET": "a-secret-from-the-environment",
    "VNPOST_API_URL": "https://api.vnpost.example/v1",
}


def test_production_sends_by_post_only_once_a_carrier_is_configured():
    assert production_settings().POSTAL_CARRIERS == []
    configured = production_settings(**VNPOST_ENV)
    assert configured.POSTAL_CARRIERS == ["vnpost"]
    assert "sandboxes.carrier" not in configured.INSTALLED_APPS


def test_production_refuses_vnpost_pointed_at_the_sandbox_carrier():
    with pytest.raises(ImproperlyConfigured, match="sandbox carrier"):
        production_settings(**{**VNPOST_ENV, "VNPOST_API_URL": "https://portal.example.vn/sandbox/buu-dien/api"})


@pytest.mark.parametrize(
    "name", ["VNPOST_CUSTOMER_CODE", "VNPOST_API_TOKEN", "VNPOST_WEBHOOK_SECRET", "VNPOST_API_URL"]
)
def test_production_refuses_vnpost_enabled_without_its_configuration(name):
    with pytest.raises(ImproperlyConfigured, match=name):
        production_settings(**{**VNPOST_ENV, name: ""})


def test_local_development_sends_through_the_sandbox_carrier():
    local = load_settings("config.settings.local", DJANGO_DEBUG="1", PORTAL_BASE_URL="http://127.0.0.1:8000")
    assert "sandboxes.carrier" in local.INSTALLED_APPS
    assert local.POSTAL_CARRIERS == ["vnpost"]
    assert local.VNPOST["API_URL"] == "http://127.0.0.1:8000/sandbox/buu-dien/api"
    customer = local.SANDBOX_CARRIER["CUSTOMERS"][local.VNPOST["CUSTOMER_CODE"]]
    assert customer["SECRET"] == local.VNPOST["WEBHOOK_SECRET"]
    assert customer["WEBHOOK_URL"] == "http://127.0.0.1:8000/buu-chinh/thong-bao/vnpost/"


def test_the_tests_send_through_the_sandbox_carrier():
    assert "/sandbox/buu-dien/" in settings.VNPOST["API_URL"]
