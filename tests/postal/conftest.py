"""Fixtures of the postal tests: a dossier whose applicant chose the post, its result ready at reception, and the
sandbox carrier on the live test server with the portal's VNPost adapter pointed at it."""

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from dossiers.constants import DeliveryMethod, DossierStatus
from dossiers.models import Dossier
from sandboxes.carrier import protocol as carrier_protocol
from tests.factories import CommuneFactory, ProcedureFactory, RequiredDocumentFactory, dossier_in_status

ADDRESS = "Số 12 đường Lê Lợi, phường Hạc Thành, tỉnh Thanh Hoá"
# The sandbox's table: a 200 g document parcel within the province (tariff.py).
POSTAGE_WITHIN_PROVINCE = 20_000


# A procedure delivering at the counter and by post, its agency's desk in one commune, and a receiving commune of
# the same province (the test modules that need another procedure define their own).
@pytest.fixture
def procedure():
    procedure = ProcedureFactory(delivers_at_counter=True, delivers_by_post=True)
    RequiredDocumentFactory(procedure=procedure, name="Tờ khai", is_required=False)
    procedure.agency.commune = CommuneFactory(name="Trần Hưng Đạo")
    procedure.agency.save(update_fields=["commune"])
    return procedure


@pytest.fixture
def commune():
    return CommuneFactory(name="Vũ Phúc")


@pytest.fixture
def postal_dossier(db):
    """(dossier, officers): a result ready at reception, to be sent to the applicant by post."""
    procedure = ProcedureFactory(delivers_at_counter=True, delivers_by_post=True)
    dossier, officers = dossier_in_status(DossierStatus.RESULT_READY, procedure=procedure)
    # The applicant's choice when applying (the application pages test that step).
    Dossier.objects.filter(pk=dossier.pk).update(delivery_method=DeliveryMethod.POSTAL, delivery_address=ADDRESS)
    dossier.refresh_from_db()
    return dossier, officers


def http(url: str, *, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """(status, body) of one request to the live test server."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the live test server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class SandboxCarrier:
    """The sandbox carrier served by the live test server."""

    def __init__(self, url: str, settings):
        self.url = url
        self.base = f"{url}/sandbox/buu-dien"
        self.settings = settings

    def switch(self, **switches: bool) -> None:
        data = urllib.parse.urlencode({name: "1" for name, on in switches.items() if on}).encode()
        http(f"{self.base}/dieu-khien/", data=data, method="POST")

    def move(self, tracking_number: str, step: str, *, notify: str = "now") -> int:
        data = urllib.parse.urlencode({"notify": notify}).encode()
        status, _ = http(f"{self.base}/buu-gui/{tracking_number}/{step}/", data=data, method="POST")
        return status

    def release(self, tracking_number: str) -> None:
        http(f"{self.base}/buu-gui/{tracking_number}/phat-thong-bao-giu/", data=b"", method="POST")

    def parcel(self, tracking_number: str) -> dict:
        return json.loads(http(f"{self.base}/buu-gui/{tracking_number}.json")[1])

    def notify(self, payload: dict, *, secret: str | None = None) -> int:
        """A notification the test writes itself, signed the carrier's way (with `secret` to forge it)."""
        code = self.settings.VNPOST["CUSTOMER_CODE"]
        registration = self.settings.SANDBOX_CARRIER["CUSTOMERS"][code]
        body, signature = carrier_protocol.signed_body(secret or registration["SECRET"], payload)
        status, _ = http(
            registration["WEBHOOK_URL"],
            data=body,
            headers={"Content-Type": "application/json", carrier_protocol.SIGNATURE_HEADER: signature},
            method="POST",
        )
        return status


@pytest.fixture
def carrier(live_server, settings):
    code = settings.VNPOST["CUSTOMER_CODE"]
    registration = settings.SANDBOX_CARRIER["CUSTOMERS"][code]
    settings.SANDBOX_CARRIER = {
        "CUSTOMERS": {code: {**registration, "WEBHOOK_URL": f"{live_server.url}/buu-chinh/thong-bao/vnpost/"}}
    }
    settings.VNPOST = {**settings.VNPOST, "API_URL": f"{live_server.url}/sandbox/buu-dien/api", "TIMEOUT": 10}
    return SandboxCarrier(live_server.url, settings)
