"""The agency's daily settlement report: what was collected and refunded on a day, per method, on the page and as
CSV and XLSX, for the agency's reception officers and leaders only."""

import csv
import io
import zipfile
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers import services as dossier_services
from dossiers.constants import DossierStatus
from payments import services
from payments.constants import CounterMethod, RefundReason
from payments.models import Payment
from sandboxes.bank import protocol as bank_protocol
from tests.factories import UserFactory, dossier_in_status

from .conftest import FEE, bank_result, start_payment

pytestmark = pytest.mark.django_db
URL = reverse("payments:settlement")
SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.fixture
def day_of_money(fee_dossier):
    """Today: one fee paid online, one taken at the desk and handed back (its dossier refused)."""
    online, people = fee_dossier
    paid = start_payment(online)
    paid_now = timezone.localtime(timezone.now(), bank_protocol.GMT7).strftime("%Y%m%d%H%M%S")
    services.payment_handle_notification(provider_name="vnpay", parameters=bank_result(paid, vnp_PayDate=paid_now))
    at_desk, _people = dossier_in_status(DossierStatus.SUBMITTED, procedure=online.procedure, officers=people)
    counter = services.payment_record_counter(dossier=at_desk, officer=people["reception"], method=CounterMethod.CASH)
    dossier_services.dossier_refuse(dossier=at_desk, officer=people["reception"], reason="Sai thẩm quyền")
    counter = services.payment_request_refund(payment=counter, reason=RefundReason.DOSSIER_CLOSED)
    services.payment_send_refund(payment=counter)
    services.payment_record_counter_refund(payment=counter, officer=people["reception"])
    return people, Payment.objects.get(pk=paid.pk), Payment.objects.get(pk=counter.pk)


def test_the_page_lists_the_days_collections_and_refunds_with_totals(client, day_of_money):
    people, online, counter = day_of_money
    client.force_login(people["reception"])

    response = client.get(URL, {"ngay": timezone.localdate().isoformat()})

    assert response.status_code == 200
    assert [(e.kind, e.reference, e.amount) for e in response.context["entries"]] == [
        ("Thu tiền", online.reference, FEE),
        ("Thu tiền", counter.reference, FEE),
        ("Hoàn tiền", counter.reference, -FEE),
    ]
    totals = {method: (collected, refunded, net) for method, collected, refunded, net in response.context["totals"]}
    assert totals["Nộp tại Bộ phận một cửa – Tiền mặt tại quầy"] == (FEE, FEE, 0)
    assert next(value for method, value in totals.items() if method.startswith("VNPay")) == (FEE, 0, FEE)
    # Another day: nothing
    empty = client.get(URL, {"ngay": "2020-01-01"})
    assert empty.context["entries"] == [] and "Không có khoản thu hay hoàn nào" in empty.content.decode()


def test_the_report_downloads_as_csv_and_xlsx(client, day_of_money):
    people, online, _counter = day_of_money
    client.force_login(people["approver"])
    day = timezone.localdate()

    response = client.get(URL, {"ngay": day.isoformat(), "dinh_dang": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"doi-soat-{online.dossier.agency.code}-{day:%Y%m%d}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Loại", "Thời điểm", "Mã giao dịch"]
    assert rows[1][2] == online.reference and rows[1][6] == str(FEE)
    assert (rows[0][8], rows[1][8]) == ("Khoản thu", "Phí, lệ phí")  # the fee apart from any postage
    assert len(rows) == 4

    response = client.get(URL, {"ngay": day.isoformat(), "dinh_dang": "xlsx"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        assert {"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"} <= set(package.namelist())
        sheet = ElementTree.fromstring(package.read("xl/worksheets/sheet1.xml"))  # noqa: S314 (the portal's own file)
    cells = [
        [(cell.findtext(f"{SHEET}is/{SHEET}t") or cell.findtext(f"{SHEET}v")) for cell in row]
        for row in sheet.iter(f"{SHEET}row")
    ]
    assert cells[0][0] == "Loại" and cells[1][2] == online.reference and cells[1][6] == str(FEE)
    assert cells[3][0] == "Hoàn tiền" and cells[3][6] == str(-FEE)


def test_the_report_is_the_agencys_desk_and_leaders_only(client, day_of_money):
    people, _online, _counter = day_of_money
    client.force_login(people["processing"])
    assert client.get(URL).status_code == 403
    client.force_login(UserFactory(citizen=True))
    assert client.get(URL).status_code == 403
    client.force_login(UserFactory(reception_officer=True))  # another agency: its own, empty day
    assert client.get(URL, {"ngay": timezone.localdate().isoformat()}).context["entries"] == []
    client.force_login(people["reception"])
    assert URL in client.get(reverse("dossiers:officer-home")).content.decode()  # the workbench links to it
    refused = client.get(URL, {"ngay": "31/02/2026"})
    assert refused.status_code == 200 and "Ngày không hợp lệ." in refused.content.decode()
