"""The page furniture every issued document shares, on A4: the issuing body and the national motto, the
place and date, the title with the dossier code, the body blocks, the signature blocks, and a QR code that
opens the public lookup of the dossier. `render` lays an `IssuedDocument` out and returns the PDF."""

import qrcode
from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from .content import NATIONAL_MOTTO, NATIONAL_NAME, Facts, IssuedDocument, Paragraph, Signature, Table

FONT = "DejaVu"
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
