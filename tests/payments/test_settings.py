"""Payment settings: production refuses the sandboxes and a provider enabled without its own merchant code, secret
and addresses; local development and the tests pay through the sandbox bank."""

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tests.portal.test_settings import load_settings, production_settings

VNPAY_ENV = {
    "PAYMENT_PROVIDERS": "vnpay,counter",
    "VNPAY_TMN_CODE": "TINHTB01",
    "VNPAY_HASH_SECRET": "a-province-secret-from-the-environment",
    "VNPAY_PAYMENT_URL": "https://pay.vnpay.vn/vpcpay.html",
    "VNPAY_API_URL": "https://merchant.vnpay.vn/merchant_webapi/api/transaction",
}


def test_production_offers_the_counter_only_unless_a_provider_is_configured():
    assert production_settings().PAYMENT_PROVIDERS == ["counter"]
    configured = production_settings(**VNPAY_ENV)
    assert configured.PAYMENT_PROVIDERS == ["vnpay", "counter"]
    assert configured.VNPAY["TMN_CODE"] == "TINHTB01"
    assert configured.SANDBOXES_MOUNTED is False
    assert not any(app.startswith("sandboxes") for app in configured.INSTALLED_APPS)


def test_production_refuses_the_sandboxes_mounted():
    with pytest.raises(ImproperlyConfigured, match="sandboxes"):
        production_settings(PORTAL_SANDBOXES="1")


@pytest.mark.parametrize("name", ["VNPAY_PAYMENT_URL", "VNPAY_API_URL"])
def test_production_refuses_vnpay_pointed_at_the_sandbox_bank(name):
    sandbox = "https://portal.example.vn/sandbox/ngan-hang/paymentv2/vpcpay.html"
    with pytest.raises(ImproperlyConfigured, match="sandbox bank"):
        production_settings(**{**VNPAY_ENV, name: sandbox})


@pytest.mark.parametrize("name", ["VNPAY_TMN_CODE", "VNPAY_HASH_SECRET", "VNPAY_PAYMENT_URL", "VNPAY_API_URL"])
def test_production_refuses_vnpay_enabled_without_its_configuration(name):
    with pytest.raises(ImproperlyConfigured, match=name):
        production_settings(**{**VNPAY_ENV, name: ""})


def test_local_development_pays_through_the_sandbox_bank():
    local = load_settings("config.settings.local", DJANGO_DEBUG="1", PORTAL_BASE_URL="http://127.0.0.1:8000")
    assert local.SANDBOXES_MOUNTED is True
    assert "sandboxes.bank" in local.INSTALLED_APPS
    assert local.PAYMENT_PROVIDERS == ["vnpay", "counter"]
    assert local.VNPAY["PAYMENT_URL"] == "http://127.0.0.1:8000/sandbox/ngan-hang/paymentv2/vpcpay.html"
    merchant = local.SANDBOX_BANK["MERCHANTS"][local.VNPAY["TMN_CODE"]]
    assert merchant["SECRET"] == local.VNPAY["HASH_SECRET"]
    assert merchant["IPN_URL"] == "http://127.0.0.1:8000/thanh-toan/vnpay/ipn/"


def test_the_tests_pay_through_the_sandbox_bank():
    assert settings.SANDBOXES_MOUNTED and "vnpay" in settings.PAYMENT_PROVIDERS
    assert "/sandbox/ngan-hang/" in settings.VNPAY["PAYMENT_URL"]
