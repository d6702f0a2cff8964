"""The sandbox bank on its own: it plays VNPay's side of the protocol faithfully enough to catch a merchant's
mistakes (a wrong signature, an unknown merchant, missing or malformed parameters, a checksum that does not match),
and its switches and choices behave as documented. (The portal's adapter against it, over HTTP:
tests/payments/test_sandbox_bank.py.)"""

import json
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.utils import timezone

from sandboxes.bank import protocol
from sandboxes.bank.models import BankTransaction, Switch

pytestmark = pytest.mark.django_db
PAY = "/sandbox/ngan-hang/paymentv2/vpcpay.html"
API = "/sandbox/ngan-hang/merchant_webapi/api/transaction"
TMN = settings.VNPAY["TMN_CODE"]
SECRET = settings.SANDBOX_BANK["MERCHANTS"][TMN]["SECRET"]


def payment_parameters(**overrides) -> dict:
    parameters = {
        "vnp_Version": "2.1.0",
        "vnp_Command": "pay",
        "vnp_TmnCode": TMN,
        "vnp_Amount": "15000000",
        "vnp_CreateDate": "20261125100000",
        "vnp_CurrCode": "VND",
        "vnp_IpAddr": "127.0.0.1",
        "vnp_Locale": "vn",
        "vnp_OrderInfo": "Thanh toan phi ho so 000 00 25 H56 261125 0001",
        "vnp_OrderType": "other",
        "vnp_ReturnUrl": "http://portal.test/thanh-toan/quay-ve/vnpay/",
        "vnp_ExpireDate": (timezone.now() + timedelta(minutes=15)).astimezone(protocol.GMT7).strftime("%Y%m%d%H%M%S"),
        "vnp_TxnRef": "TT261125AAAAAAAAAA",
        **overrides,
    }
    parameters["vnp_SecureHash"] = protocol.query_string_hash(SECRET, parameters)
    return parameters


def test_the_payment_page_shows_a_well_signed_order(client):
    response = client.get(PAY, payment_parameters())

    assert response.status_code == 200
    page = response.content.decode()
    assert "150.000 VND" in page and "TT261125AAAAAAAAAA" in page
    transaction = BankTransaction.objects.get()
    assert (transaction.amount, transaction.status) == (15_000_000, BankTransaction.Status.PENDING)
    # Opened again (a second click on the merchant's side): the same order, the same page
    assert client.get(PAY, payment_parameters()).status_code == 200
    assert BankTransaction.objects.count() == 1


@pytest.mark.parametrize(
    ("parameters", "code"),
    [
        pytest.param({**payment_parameters(), "vnp_Amount": "100"}, "97", id="changed after signing"),
        pytest.param(payment_parameters(vnp_TmnCode="KHONGCO1"), "02", id="unknown merchant"),
        pytest.param({k: v for k, v in payment_parameters().items() if k != "vnp_TxnRef"}, "03", id="missing"),
        pytest.param(payment_parameters(vnp_Version="2.0.0"), "03", id="old version"),
        pytest.param(payment_parameters(vnp_Amount="15.000"), "03", id="amount not digits"),
    ],
)
def test_the_payment_page_refuses_what_vnpay_refuses(client, parameters, code):
    response = client.get(PAY, parameters)

    assert response.status_code == 400
    assert f'<strong id="ma-loi">{code}</strong>' in response.content.decode()
    assert not BankTransaction.objects.exists()


def test_the_payer_cannot_pay_twice_nor_choose_nonsense(client):
    client.get(PAY, payment_parameters())
    transaction = BankTransaction.objects.get()
    url = f"/sandbox/ngan-hang/paymentv2/giao-dich/{transaction.pk}/"

    assert client.post(url, {"outcome": "mua-hang", "notify": "none"}).status_code == 400
    response = client.post(url, {"outcome": "success", "notify": "none"})
    assert response.status_code == 302
    result = dict(parse_qsl(urlsplit(response.url).query))
    assert (result["vnp_ResponseCode"], result["vnp_TransactionStatus"], result["vnp_Amount"]) == (
        "00",
        "00",
        "15000000",
    )
    assert protocol.valid(protocol.query_string_hash(SECRET, result), result["vnp_SecureHash"])
    assert client.post(url, {"outcome": "success", "notify": "none"}).status_code == 400
    assert client.get(PAY, payment_parameters()).status_code == 400  # "giao dịch đã tồn tại"


def test_a_payer_too_late_gets_the_expiry_code(client):
    client.get(PAY, payment_parameters())
    transaction = BankTransaction.objects.get()
    BankTransaction.objects.filter(pk=transaction.pk).update(expire_at=timezone.now() - timedelta(minutes=1))

    response = client.post(
        f"/sandbox/ngan-hang/paymentv2/giao-dich/{transaction.pk}/", {"outcome": "success", "notify": "none"}
    )

    assert dict(parse_qsl(urlsplit(response.url).query))["vnp_ResponseCode"] == "11"
    transaction.refresh_from_db()
    assert transaction.status == BankTransaction.Status.FAILED


def api(client, body: dict):
    return client.post(API, json.dumps(body), content_type="application/json")


def querydr(**overrides) -> dict:
    body = {
        "vnp_RequestId": "a" * 32,
        "vnp_Version": "2.1.0",
        "vnp_Command": "querydr",
        "vnp_TmnCode": TMN,
        "vnp_TxnRef": "TT261125AAAAAAAAAA",
        "vnp_OrderInfo": "Truy van",
        "vnp_TransactionDate": "20261125100000",
        "vnp_CreateDate": "20261125101000",
        "vnp_IpAddr": "127.0.0.1",
        **overrides,
    }
    body["vnp_SecureHash"] = protocol.piped_hash(SECRET, body, protocol.QUERYDR_SIGNED)
    return body


def test_the_merchant_api_answers_signed_and_refuses_bad_requests(client):
    unknown = api(client, querydr()).json()
    assert unknown["vnp_ResponseCode"] == "91"
    assert protocol.valid(
        protocol.piped_hash(SECRET, unknown, protocol.QUERYDR_RESPONSE_SIGNED), unknown["vnp_SecureHash"]
    )
    assert api(client, {**querydr(), "vnp_TxnRef": "TT261125BBBBBBBBBB"}).json()["vnp_ResponseCode"] == "97"
    assert api(client, querydr(vnp_TmnCode="KHONGCO1")).json()["vnp_ResponseCode"] == "02"
    assert client.post(API, "khong phai json", content_type="application/json").json()["vnp_ResponseCode"] == "03"
    assert api(client, querydr(vnp_Command="xoa")).json()["vnp_ResponseCode"] in ("97", "03")


def test_the_switches_put_the_api_down_and_refuse_refunds(client):
    assert client.get("/sandbox/ngan-hang/dieu-khien/").status_code == 200
    client.post("/sandbox/ngan-hang/dieu-khien/", {"api_down": "1", "refuse_refunds": "1"})
    assert dict(Switch.objects.values_list("name", "on")) == {"api_down": True, "refuse_refunds": True}
    assert api(client, querydr()).status_code == 503

    client.post("/sandbox/ngan-hang/dieu-khien/", {})
    assert dict(Switch.objects.values_list("name", "on")) == {"api_down": False, "refuse_refunds": False}
    assert api(client, querydr()).status_code == 200
