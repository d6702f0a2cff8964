"""Fixtures of the payment tests: a dossier whose fee is due, and the messages the bank sends, signed the bank's way
(sandboxes/bank/protocol.py, written apart from the portal's adapter)."""

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings

from dossiers.constants import DossierStatus, FeeTiming
from payments import services
from sandboxes.bank import protocol as bank_protocol
from tests.factories import ProcedureFactory, dossier_in_status

FEE = 2_200_000


@pytest.fixture
def fee_dossier(db):
    """A submitted online dossier whose fee (2.200.000 đồng) is paid with the application, and its people."""
    procedure = ProcedureFactory(fee=FEE, fee_timing=FeeTiming.SUBMISSION, fee_refundable=True, full_online=True)
    return dossier_in_status(DossierStatus.SUBMITTED, procedure=procedure)


def start_payment(dossier, *, return_url="http://testserver/thanh-toan/quay-ve/vnpay/"):
    return services.payment_start(
        dossier=dossier, payer=dossier.applicant, provider_name="vnpay", return_url=return_url, client_ip="127.0.0.1"
    )


def url_parameters(url: str) -> dict:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def bank_result(payment, *, response_code="00", transaction_status="00", secret=None, **overrides) -> dict:
    """The signed result the bank sends for `payment` (to the return URL and the IPN), as VNPay does."""
    tmn_code = settings.VNPAY["TMN_CODE"]
    parameters = {
        "vnp_Amount": str(payment.amount * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14000001",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": f"Thanh toan phi ho so {payment.reference}",
        "vnp_PayDate": "20261125103000",
        "vnp_ResponseCode": response_code,
        "vnp_TmnCode": tmn_code,
        "vnp_TransactionNo": "14000001",
        "vnp_TransactionStatus": transaction_status,
        "vnp_TxnRef": payment.reference,
        **overrides,
    }
    parameters["vnp_SecureHash"] = bank_protocol.query_string_hash(
        secret or bank_protocol.merchant(tmn_code)["SECRET"], parameters
    )
    return parameters


# --- the sandbox bank over HTTP ----------------------------------------------------------------------------------


class HttpAnswer:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.text = status, headers, body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Payer:
    """The payer's browser on the bank's pages, over real HTTP (cookies kept, redirects not followed: the test
    reads where the bank sends the browser)."""

    def __init__(self):
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)

    def _open(self, request) -> HttpAnswer:
        try:
            with self.opener.open(request, timeout=30) as response:
                return HttpAnswer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return HttpAnswer(error.code, error.headers, error.read())

    def get(self, url: str) -> HttpAnswer:
        return self._open(urllib.request.Request(url))  # noqa: S310 (the live test server)

    def choose(self, page: HttpAnswer, page_url: str, **choices) -> HttpAnswer:
        """Submit the bank's payment form of `page` with `choices` (outcome, notify, delay)."""
        action = re.search(r'<form class="card" method="post" action="([^"]+)"', page.text).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **choices}).encode()
        url = urllib.parse.urljoin(page_url, action)
        return self._open(urllib.request.Request(url, data=data, method="POST"))  # noqa: S310 (as above)


def http_post_form(url: str, data: dict) -> int:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the live test server)
        return response.status


def http_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (the live test server)
        return json.loads(response.read().decode())


class Bank:
    """The sandbox bank served by the live test server, with the portal's VNPay adapter pointed at it."""

    def __init__(self, url: str):
        self.url = url
        self.base = f"{url}/sandbox/ngan-hang"

    def switch(self, **switches: bool) -> None:
        http_post_form(f"{self.base}/dieu-khien/", {name: "1" for name, on in switches.items() if on})

    def transaction(self, payment) -> dict:
        return http_json(f"{self.base}/giao-dich/{settings.VNPAY['TMN_CODE']}/{payment.reference}.json")

    def pay(self, payment, **choices) -> HttpAnswer:
        """The payer opens the payment's bank page and makes its choices there."""
        payer = Payer()
        page = payer.get(payment.redirect_url)
        assert page.status == 200, page.text
        return payer.choose(page, payment.redirect_url, **{"outcome": "success", "notify": "immediate", **choices})


@pytest.fixture
def bank(live_server, settings):
    """The sandbox bank on the live server, registered with the portal's IPN address there, and the portal's VNPay
    adapter pointed at it (same merchant code and secret as the test settings)."""
    tmn_code = settings.VNPAY["TMN_CODE"]
    registration = settings.SANDBOX_BANK["MERCHANTS"][tmn_code]
    settings.SANDBOX_BANK = {
        "MERCHANTS": {tmn_code: {**registration, "IPN_URL": f"{live_server.url}/thanh-toan/vnpay/ipn/"}}
    }
    settings.VNPAY = {
        **settings.VNPAY,
        "PAYMENT_URL": f"{live_server.url}/sandbox/ngan-hang/paymentv2/vpcpay.html",
        "API_URL": f"{live_server.url}/sandbox/ngan-hang/merchant_webapi/api/transaction",
        "TIMEOUT": 10,
    }
    return Bank(live_server.url)
