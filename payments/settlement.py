"""The daily settlement report of an agency ("bảng kê đối soát"): every payment collected and every refund made on
one day (local time), with totals per payment method, as rows for a page and as CSV or XLSX files. The XLSX is
written with the standard library (a one-sheet Office Open XML package), so no spreadsheet library is needed."""

import csv
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from xml.sax.saxutils import escape

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .constants import MONEY_TAKEN_STATUSES, PaymentStatus
from .models import Payment
from .services.core import method_label


@dataclass(frozen=True)
class SettlementEntry:
    kind: str  # "Thu tiền" (collected) or "Hoàn tiền" (refunded)
    at: datetime
    reference: str
    dossier_code: str
    method: str
    provider_transaction_no: str
    amount: int  # negative for a refund
    receipt: str
    purpose: str  # the fee or the postage (the carrier's, paid over to it)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def settlement_entries(*, agency_id: int, day: date) -> list[SettlementEntry]:
    """The money of the agency's dossiers that moved on `day`: collections, then refunds, in time order (one
    query)."""
    start, end = _day_bounds(day)
    payments = (
        Payment.objects.filter(dossier__agency_id=agency_id)
        .filter(
            Q(status__in=MONEY_TAKEN_STATUSES, paid_at__gte=start, paid_at__lt=end)
            | Q(status=PaymentStatus.REFUNDED, refunded_at__gte=start, refunded_at__lt=end)
        )
        .select_related("dossier", "receipt")
        .order_by("paid_at", "id")
    )
    entries = []
    for payment in payments:
        receipt = getattr(payment, "receipt", None)
        common = {
            "reference": payment.reference,
            "dossier_code": payment.dossier.code,
            "method": method_label(payment),
            "provider_transaction_no": payment.provider_transaction_no,
            "receipt": f"{receipt.series} {receipt.number_text}" if receipt else "",
            "purpose": payment.get_purpose_display(),
        }
        if payment.paid_at and start <= payment.paid_at < end:
            entries.append(SettlementEntry(kind=_("Thu tiền"), at=payment.paid_at, amount=payment.amount, **common))
        if payment.refunded_at and start <= payment.refunded_at < end:
            entries.append(
                SettlementEntry(kind=_("Hoàn tiền"), at=payment.refunded_at, amount=-payment.amount, **common)
            )
    return sorted(entries, key=lambda entry: entry.at)


def settlement_totals(entries: list[SettlementEntry]) -> list[tuple[str, int, int, int]]:
    """Per payment method: collected, refunded (as a positive number), net."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for entry in entries:
        if entry.amount >= 0:
            totals[entry.method][0] += entry.amount
        else:
            totals[entry.method][1] -= entry.amount
    return [(method, collected, refunded, collected - refunded) for method, (collected, refunded) in totals.items()]


def _header() -> list[str]:
    return [
        _("Loại"),
        _("Thời điểm"),
        _("Mã giao dịch"),
        _("Mã hồ sơ"),
        _("Hình thức"),
        _("Mã giao dịch tại cổng thanh toán"),
        _("Số tiền (đồng)"),
        _("Biên lai"),
        _("Khoản thu"),
    ]


def _rows(entries: list[SettlementEntry]) -> list[list]:
    return [
        [
            entry.kind,
            timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M:%S"),
            entry.reference,
            entry.dossier_code,
            entry.method,
            entry.provider_transaction_no,
            entry.amount,
            entry.receipt,
            entry.purpose,
        ]
        for entry in entries
    ]


def settlement_csv(entries: list[SettlementEntry]) -> bytes:
    """UTF-8 with a byte order mark, so spreadsheet programs read the Vietnamese letters."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_header())
    writer.writerows(_rows(entries))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell(reference: str, value) -> str:
    if isinstance(value, int):
        return f'<c r="{reference}"><v>{value}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


def settlement_xlsx(entries: list[SettlementEntry], *, sheet_name: str) -> bytes:
    rows = [_header(), *_rows(entries)]
    sheet_rows = "".join(
        f'<row r="{r}">' + "".join(_cell(f"{_column(c)}{r}", value) for c, value in enumerate(row)) + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{relationships}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{relationships}">'
            f'<sheets><sheet name="{escape(sheet_name[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{relationships}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>{sheet_rows}</sheetData>'
            "</worksheet>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package_file:
        for name, content in parts.items():
            package_file.writestr(name, content)
    return buffer.getvalue()
