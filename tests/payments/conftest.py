"""Fixtures of the payment tests: a dossier whose fee is due, and the messages the bank sends, signed the bank's way
(sandboxes/bank/protocol.py, written apart from the portal's adapter)."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings

from dossiers.constants import DossierStatus, FeeTiming
from payments import services
from sandboxes.bank import protocol as bank
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
    parameters["vnp_SecureHash"] = bank.query_string_hash(secret or bank.merchant(tmn_code)["SECRET"], parameters)
    return parameters
