"""The documents the portal issues, as PDFs, laid out like the forms of Circular 01/2018/TT-VPCP
(renumbered by Circular 03/2025/TT-VPCP).

Each document is built in two steps:

- a `*_content` function turns the dossier (and what the document needs, already loaded by the caller
  through dossiers.selectors) into an `IssuedDocument`: paragraphs, label/value rows, tables and
  signatures, as plain text. Tests read these, since the text inside a PDF is not searchable.
- `render` lays an `IssuedDocument` out on A4 pages: the issuing body and the national motto, the
  place and date, the title with the dossier code, the body, the signature blocks, and a QR code that
  opens the public lookup for the dossier.

The `*_pdf` functions do both and return the bytes. Nothing here queries the database.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

import qrcode
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from .models import Dossier, DossierEvent, SupplementRequest
from .selectors import ControlSheetRow, ReceivedComponent

FONT = "DejaVu"

# --- the content of a document -------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Facts:
    """Label / value rows ("Họ và tên: ...")."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    widths: tuple[float, ...]  # relative column widths
    rows: tuple[tuple[str, ...], ...]
    centered_columns: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Signature:
    title: str
    note: str
    name: str


Block = Paragraph | Facts | Table


@dataclass(frozen=True)
class IssuedDocument:
    """Everything a document prints, as text."""

    title: str
    code: str
    governing_body: str
    agency_name: str
    place_and_date: str
    qr_url: str
    body: tuple[Block, ...]
    signatures: tuple[Signature, ...] = field(default=())
    landscape: bool = False

    def facts(self) -> dict[str, str]:
        """Every label/value row of the document, by label."""
        return {label: value for block in self.body if isinstance(block, Facts) for label, value in block.rows}

    def tables(self) -> list[Table]:
        return [block for block in self.body if isinstance(block, Table)]

    def text(self) -> str:
        """All the text of the document, one piece a line, for searching."""
        lines = [self.governing_body, self.agency_name, NATIONAL_NAME, NATIONAL_MOTTO, self.place_and_date]
        lines += [self.title, self.code]
        for block in self.body:
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Facts):
                lines += [f"{label}: {value}" for label, value in block.rows]
            else:
                lines.append(" | ".join(block.headers))
                lines += [" | ".join(row) for row in block.rows]
        for signature in self.signatures:
            lines += [signature.title, signature.name]
        return "\n".join(line for line in lines if line)


NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"


# --- shared wording --------------------------------------------------------------------------------


def lookup_url(code: str) -> str:
    """The public lookup of a dossier, as its QR code opens it."""
    base = settings.PORTAL_BASE_URL.rstrip("/")
    return f"{base}{reverse('dossiers:lookup')}?{urlencode({'code': code})}"


def _date_words(moment: datetime | None) -> str:
    if moment is None:
        return ""
    day = timezone.localtime(moment).date()
    return _("ngày %(d)02d tháng %(m)02d năm %(y)d") % {"d": day.day, "m": day.month, "y": day.year}


def _time_words(moment: datetime | None) -> str:
    """ "14 giờ 30 phút, ngày 25 tháng 11 năm 2026", as the forms write an appointment."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return _("%(h)02d giờ %(mi)02d phút, %(date)s") % {"h": local.hour, "mi": local.minute, "date": _date_words(local)}


def _short_time(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else ""


def _place() -> str:
    """The place written before the date: the province's name without "tỉnh" / "thành phố"."""
    name = settings.PORTAL_PROVINCE_NAME
    for prefix in ("tỉnh ", "Tỉnh ", "thành phố ", "Thành phố "):
        name = name.removeprefix(prefix)
    return name


def _place_and_date(moment: datetime | None) -> str:
    return f"{_place()}, {_date_words(moment or timezone.now())}"


def _governing_body(dossier: Dossier) -> str:
    parent = dossier.agency.parent if dossier.agency.parent_id else None
    if parent is not None:
        return parent.name.upper()
    return (_("Ủy ban nhân dân %(province)s") % {"province": settings.PORTAL_PROVINCE_NAME}).upper()


def _document(dossier: Dossier, *, title: str, issued_at, body, signatures, landscape=False) -> IssuedDocument:
    return IssuedDocument(
        title=title,
        code=dossier.code or "",
        governing_body=_governing_body(dossier),
        agency_name=dossier.agency.name.upper(),
        place_and_date=_place_and_date(issued_at),
        qr_url=lookup_url(dossier.code or ""),
        body=tuple(body),
        signatures=tuple(signatures),
        landscape=landscape,
    )


def _applicant_rows(dossier: Dossier, *, contact: bool = True) -> list[tuple[str, str]]:
    rows = [(_("Họ và tên / Tên tổ chức"), dossier.applicant_name)]
    if dossier.applicant_id_number:
        rows.append((_("Số CCCD / Mã số thuế"), dossier.applicant_id_number))
    if contact:
        if dossier.applicant_address:
            rows.append((_("Địa chỉ"), dossier.applicant_address))
        if dossier.applicant_phone:
            rows.append((_("Số điện thoại"), dossier.applicant_phone))
        if dossier.applicant_email:
            rows.append((_("Thư điện tử"), dossier.applicant_email))
    return rows


def _request_row(dossier: Dossier) -> tuple[str, str]:
    return (_("Nội dung yêu cầu giải quyết"), f"{dossier.procedure.name} ({dossier.procedure.code})")


def _delivery(dossier: Dossier) -> str:
    method = str(dossier.get_delivery_method_display())
    return f"{method}: {dossier.delivery_address}" if dossier.delivery_address else method


def _person(user) -> str:
    return user.full_name if user is not None else ""


# --- the documents ---------------------------------------------------------------------------------


def receipt_content(
    dossier: Dossier, *, components: Iterable[ReceivedComponent], receiving_officer=None
) -> IssuedDocument:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (form 01)."""
    components = list(components)
    table_rows = tuple(
        (str(n), c.name, str(c.original_copies), str(c.copy_copies), str(c.files))
        for n, c in enumerate(components, start=1)
    )
    body = [
        Paragraph(
            _("Bộ phận tiếp nhận và trả kết quả – %(agency)s tiếp nhận hồ sơ của:") % {"agency": dossier.agency.name}
        ),
        Facts((*_applicant_rows(dossier), _request_row(dossier), (_("Hình thức nộp"), dossier.get_channel_display()))),
        Paragraph(_("1. Thành phần hồ sơ nộp gồm:"), bold=True),
        Table(
            headers=(_("STT"), _("Tên giấy tờ"), _("Bản chính"), _("Bản sao"), _("Số tệp")),
            widths=(10, 95, 22, 22, 20),
            rows=table_rows or (("", _("(Không có thành phần hồ sơ)"), "", "", ""),),
            centered_columns=frozenset({0, 2, 3, 4}),
        ),
        Facts(
            (
                (_("2. Số lượng hồ sơ"), _("01 bộ")),
                (
                    _("3. Thời hạn giải quyết theo quy định"),
                    f"{dossier.processing_time} {dossier.get_processing_time_unit_display()}",
                ),
                (_("4. Thời gian nhận hồ sơ"), _time_words(dossier.received_at)),
                (_("5. Thời gian trả kết quả giải quyết hồ sơ"), _time_words(dossier.due_at)),
                (_("6. Đăng ký nhận kết quả tại"), _delivery(dossier)),
            )
        ),
        Paragraph(
            _(
                "Tra cứu tình trạng hồ sơ trên Cổng Dịch vụ công bằng mã hồ sơ và 4 số cuối CCCD/mã số thuế "
                "hoặc số điện thoại."
            )
        ),
    ]
    signatures = [
        Signature(_("NGƯỜI NỘP HỒ SƠ"), _("(Ký và ghi rõ họ tên)"), dossier.applicant_name),
        Signature(_("NGƯỜI TIẾP NHẬN HỒ SƠ"), _("(Ký và ghi rõ họ tên)"), _person(receiving_officer)),
    ]
    return _document(
        dossier,
        title=_("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
        issued_at=dossier.received_at,
        body=body,
        signatures=signatures,
    )


def supplement_request_content(dossier: Dossier, *, request: SupplementRequest) -> IssuedDocument:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (form 02): the items and note of one request."""
    body = [
        Paragraph(
            _("%(date)s, %(agency)s nhận được hồ sơ của:")
            % {"date": _date_words(dossier.submitted_at).capitalize(), "agency": dossier.agency.name}
        ),
        Facts((*_applicant_rows(dossier, contact=False), _request_row(dossier))),
        Paragraph(
            _("Sau khi xem xét, đề nghị ông/bà (tổ chức) bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:"),
            bold=True,
        ),
        *(Paragraph(f"{n}. {item}") for n, item in enumerate(request.items, start=1)),
    ]
    if request.note:
        body.append(Facts(((_("Lý do, hướng dẫn"), request.note),)))
    if dossier.received_at is not None and dossier.received_at <= request.requested_at:
        body.append(
            Paragraph(
                _("Thời hạn giải quyết hồ sơ tạm dừng từ %(time)s cho đến khi nhận đủ hồ sơ bổ sung.")
                % {"time": _time_words(request.requested_at)}
            )
        )
    body.append(
        Paragraph(
            _(
                "Ông/bà (tổ chức) nộp hồ sơ bổ sung trực tuyến trên Cổng Dịch vụ công hoặc tại Bộ phận tiếp nhận "
                "và trả kết quả. Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, xin liên hệ %(contact)s để "
                "được hướng dẫn."
            )
            % {"contact": dossier.agency.phone or dossier.agency.name}
        )
    )
    return _document(
        dossier,
        title=_("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
        issued_at=request.requested_at,
        body=body,
        signatures=[Signature(_("NGƯỜI HƯỚNG DẪN"), _("(Ký và ghi rõ họ tên)"), _person(request.requested_by))],
    )


def refusal_reason(dossier: Dossier, *, event: DossierEvent | None) -> str:
    return dossier.resolution_note or (event.note if event is not None else "")


def refusal_content(dossier: Dossier, *, event: DossierEvent | None) -> IssuedDocument:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ (form 03). `event` is the one that refused the dossier."""
    body = [
        Paragraph(_("%(agency)s tiếp nhận hồ sơ của:") % {"agency": dossier.agency.name}),
        Facts(
            (
                *_applicant_rows(dossier, contact=False),
                _request_row(dossier),
                (_("Thời gian nộp hồ sơ"), _time_words(dossier.submitted_at)),
            )
        ),
        Paragraph(
            _("Qua xem xét, %(agency)s thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:")
            % {"agency": dossier.agency.name}
        ),
        Paragraph(refusal_reason(dossier, event=event), bold=True),
        Paragraph(_("Xin thông báo để ông/bà (tổ chức) được biết và thực hiện./.")),
    ]
    return _document(
        dossier,
        title=_("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
        issued_at=event.created_at if event is not None else dossier.finished_at,
        body=body,
        signatures=[
            Signature(_("NGƯỜI LẬP PHIẾU"), _("(Ký và ghi rõ họ tên)"), _person(event.actor if event else None))
        ],
    )


def apology_content(dossier: Dossier, *, event: DossierEvent | None) -> IssuedDocument:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (form 04). `event` is the apology: its note is the
    reason and the due date stored on it is the new appointment."""
    new_due = (event.due_at if event is not None else None) or dossier.due_at
    body = [
        Paragraph(
            _("%(date)s, %(agency)s tiếp nhận giải quyết hồ sơ của:")
            % {"date": _date_words(dossier.received_at).capitalize(), "agency": dossier.agency.name}
        ),
        Facts(
            (
                *_applicant_rows(dossier, contact=False),
                _request_row(dossier),
                (_("Mã hồ sơ"), dossier.code or ""),
                (_("Thời gian hẹn trả kết quả giải quyết hồ sơ"), _time_words(dossier.original_due_at)),
            )
        ),
        Paragraph(
            _("Tuy nhiên đến nay, %(agency)s chưa trả kết quả giải quyết hồ sơ của ông/bà (tổ chức).")
            % {"agency": dossier.agency.name}
        ),
        Facts(((_("Lý do"), event.note if event is not None else ""),)),
        Paragraph(
            _(
                "Sự chậm trễ này đã gây phiền hà cho ông/bà (tổ chức). %(agency)s xin lỗi ông/bà (tổ chức) và sẽ "
                "trả kết quả giải quyết hồ sơ vào %(due)s."
            )
            % {"agency": dossier.agency.name, "due": _time_words(new_due)}
        ),
        Facts(((_("Ngày hẹn trả kết quả mới"), _time_words(new_due)),)),
        Paragraph(_("Xin trân trọng cảm ơn sự hợp tác của ông/bà (tổ chức)./.")),
    ]
    return _document(
        dossier,
        title=_("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
        issued_at=dossier.apologized_at,
        body=body,
        signatures=[
            Signature(_("ĐẠI DIỆN CƠ QUAN"), _("(Ký và ghi rõ họ tên)"), _person(event.actor if event else None))
        ],
    )


def control_sheet_content(dossier: Dossier, *, rows: Iterable[ControlSheetRow]) -> IssuedDocument:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ (form 05): every hand-off with its mark."""
    facts = [
        *_applicant_rows(dossier, contact=False),
        _request_row(dossier),
        (_("Thời gian nhận hồ sơ"), _time_words(dossier.received_at)),
        (_("Thời gian hẹn trả kết quả"), _time_words(dossier.due_at)),
        (_("Trạng thái"), str(dossier.get_status_display())),
    ]
    if dossier.timeliness:
        facts.append((_("Kết quả giải quyết"), str(dossier.get_timeliness_display())))
    table = Table(
        headers=(
            _("STT"),
            _("Thời gian giao, nhận"),
            _("Bên giao"),
            _("Bên nhận"),
            _("Nội dung"),
            _("Hạn xử lý"),
            _("Kết quả"),
        ),
        widths=(9, 30, 42, 42, 42, 30, 22),
        rows=tuple(
            (str(r.number), _short_time(r.at), r.giver, r.receiver, r.action, _short_time(r.due_at), str(r.mark_label))
            for r in rows
        ),
        centered_columns=frozenset({0}),
    )
    return _document(
        dossier,
        title=_("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
        issued_at=timezone.now(),
        body=[Facts(tuple(facts)), table],
        signatures=[],
        landscape=True,
    )


def receipt_pdf(dossier: Dossier, *, components: Iterable[ReceivedComponent], receiving_officer=None) -> bytes:
    return render(receipt_content(dossier, components=components, receiving_officer=receiving_officer))


def supplement_request_pdf(dossier: Dossier, *, request: SupplementRequest) -> bytes:
    return render(supplement_request_content(dossier, request=request))


def refusal_pdf(dossier: Dossier, *, event: DossierEvent | None) -> bytes:
    return render(refusal_content(dossier, event=event))


def apology_pdf(dossier: Dossier, *, event: DossierEvent | None) -> bytes:
    return render(apology_content(dossier, event=event))


def control_sheet_pdf(dossier: Dossier, *, rows: Iterable[ControlSheetRow]) -> bytes:
    return render(control_sheet_content(dossier, rows=rows))


# --- layout ---------------------------------------------------------------------------------------

LINE = 6.0  # mm, body line height
QR_SIZE = 26.0  # mm


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR code's modules (True = dark), drawn as vector squares: sharp at any print size."""
    qr = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(url)
    qr.make(fit=True)
    return qr.get_matrix()


class _Page(FPDF):
    def __init__(self, document: IssuedDocument):
        super().__init__(orientation="L" if document.landscape else "P", unit="mm", format="A4")
        self.document = document
        self.add_font(FONT, "", settings.PDF_FONT_PATH)
        self.add_font(FONT, "B", settings.PDF_FONT_BOLD_PATH)
        self.set_margins(left=25, top=15, right=15)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(document.title.capitalize())
        self.set_subject(document.code)
        self.set_creator(_("Cổng Dịch vụ công"))
        self.set_lang("vi")

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(
            0,
            5,
            _("Mã hồ sơ: %(code)s – Trang %(page)s/{nb}") % {"code": self.document.code, "page": self.page_no()},
            align="C",
        )
        self.set_text_color(0, 0, 0)


def _centered_lines(pdf: FPDF, x: float, width: float, lines: list[tuple[str, str, float]], underline_last=False):
    """Lines centered in a column starting at x; each (text, style, size). Returns the bottom y."""
    pdf.set_x(x)
    for text, style, size in lines:
        if not text:
            continue
        pdf.set_font(FONT, style, size)
        while pdf.get_string_width(text) > width and size > 8:  # long agency names: shrink, then wrap
            size -= 0.5
            pdf.set_font(FONT, style, size)
        pdf.set_x(x)
        pdf.multi_cell(width, size * 0.5, text, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    if underline_last and lines:
        text, style, size = lines[-1]
        pdf.set_font(FONT, style, size)
        rule = min(pdf.get_string_width(text), width)
        y = pdf.get_y() + 0.6
        pdf.set_line_width(0.3)
        pdf.line(x + (width - rule) / 2, y, x + (width + rule) / 2, y)
        pdf.set_y(y + 0.6)
    return pdf.get_y()


def _header(pdf: FPDF, document: IssuedDocument) -> None:
    top, left = pdf.get_y(), pdf.l_margin
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    left_width = usable * 0.42
    right_width = usable - left_width
    left_bottom = _centered_lines(
        pdf,
        left,
        left_width,
        [(document.governing_body, "", 11), (document.agency_name, "B", 11)],
        underline_last=True,
    )
    pdf.set_y(top)
    right_bottom = _centered_lines(
        pdf,
        left + left_width,
        right_width,
        [(NATIONAL_NAME, "B", 11), (NATIONAL_MOTTO, "B", 12)],
        underline_last=True,
    )
    pdf.set_y(max(left_bottom, right_bottom) + 2)
    pdf.set_x(left + left_width)
    pdf.set_font(FONT, "", 10.5)
    pdf.cell(right_width, LINE, document.place_and_date, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)


def _title(pdf: FPDF, document: IssuedDocument) -> None:
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 7, document.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 11)
    pdf.cell(0, LINE, _("Mã hồ sơ: %(code)s") % {"code": document.code}, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _paragraph(pdf: FPDF, block: Paragraph) -> None:
    pdf.set_font(FONT, "B" if block.bold else "", 11)
    pdf.multi_cell(0, LINE, block.text, align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _facts(pdf: FPDF, block: Facts) -> None:
    pdf.set_font(FONT, "", 11)
    label_face = FontFace(family=FONT, emphasis="BOLD")
    with pdf.table(
        col_widths=(42, 58),
        borders_layout="NONE",
        first_row_as_headings=False,
        line_height=LINE,
        padding=(0.6, 1, 0.6, 0),
        text_align=("LEFT", "LEFT"),
    ) as table:
        for label, value in block.rows:
            row = table.row()
            row.cell(f"{label}:", style=label_face)
            row.cell(value or "—")
    pdf.ln(2)


def _table(pdf: FPDF, block: Table) -> None:
    pdf.set_font(FONT, "", 10)
    aligns = tuple("CENTER" if i in block.centered_columns else "LEFT" for i in range(len(block.headers)))
    with pdf.table(
        col_widths=block.widths,
        line_height=5.5,
        padding=1,
        text_align=aligns,
        headings_style=FontFace(family=FONT, emphasis="BOLD", fill_color=(235, 238, 242)),
        repeat_headings=1,
    ) as table:
        heading = table.row()
        for text in block.headers:
            heading.cell(text, align="CENTER")
        for values in block.rows:
            row = table.row()
            for text in values:
                row.cell(text)
    pdf.ln(3)


def _signatures(pdf: FPDF, signatures: tuple[Signature, ...]) -> None:
    if not signatures:
        return
    if pdf.get_y() + 40 > pdf.h - pdf.b_margin:
        pdf.add_page()
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    width = usable / 2
    # One signature sits on the right, as on the forms; two share the width.
    columns = [pdf.l_margin + width] if len(signatures) == 1 else [pdf.l_margin + i * width for i in range(2)]
    top = pdf.get_y() + 2
    for x, signature in zip(columns, signatures, strict=False):
        pdf.set_y(top)
        _centered_lines(pdf, x, width, [(signature.title, "B", 11), (signature.note, "", 9.5)])
        pdf.set_y(pdf.get_y() + 18)
        _centered_lines(pdf, x, width, [(signature.name, "B", 11)])
    pdf.set_y(top + 40)


def _qr(pdf: FPDF, document: IssuedDocument) -> None:
    if pdf.get_y() + QR_SIZE + 4 > pdf.h - pdf.b_margin:
        pdf.add_page()
    x, y = pdf.l_margin, pdf.get_y() + 2
    matrix = qr_matrix(document.qr_url)
    module = QR_SIZE / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):  # one rectangle per horizontal run of dark modules
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            pdf.rect(x + start * module, y + r * module, (c - start) * module, module, style="F")
    text_x = x + QR_SIZE + 5
    pdf.set_xy(text_x, y)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(0, 5, _("Mã hồ sơ: %(code)s") % {"code": document.code}, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9.5)
    pdf.multi_cell(
        0,
        5,
        _("Quét mã QR hoặc truy cập địa chỉ dưới đây để tra cứu tình trạng hồ sơ:"),
        new_x=XPos.LEFT,
        new_y=YPos.NEXT,
    )
    pdf.multi_cell(0, 5, document.qr_url, link=document.qr_url, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), y + QR_SIZE) + 2)


def render(document: IssuedDocument) -> bytes:
    """Lay the document out on A4 pages and return the PDF."""
    pdf = _Page(document)
    pdf.add_page()
    _header(pdf, document)
    _title(pdf, document)
    for block in document.body:
        if isinstance(block, Paragraph):
            _paragraph(pdf, block)
        elif isinstance(block, Facts):
            _facts(pdf, block)
        else:
            _table(pdf, block)
    _signatures(pdf, document.signatures)
    _qr(pdf, document)
    return bytes(pdf.output())
