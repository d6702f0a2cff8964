"""The page furniture every issued document shares, on A4: the issuing body and the national motto, the
place and date, the title with the dossier code, the body blocks, the signature blocks, and a QR code that
opens the public lookup of the dossier. `render` lays an `IssuedDocument` out and returns the PDF.

Every text may be as long as its form accepts (a note or reason of 4,000 characters, a name of 255), with or
without spaces: paragraphs and label/value rows flow onto further pages, a word wider than its column is
broken between characters (fpdf2's word wrap does it), and the signature blocks and the QR code, each kept
in one piece, move to the next page when they do not fit. Only table rows are never split across pages
(fpdf2 refuses a row taller than a page): tables print bounded values only (component and person names,
times), never free notes."""

import qrcode
from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos
from fpdf.fonts import FontFace

from .content import NATIONAL_MOTTO, NATIONAL_NAME, Facts, IssuedDocument, Paragraph, Signature, Table

FONT = "DejaVu"
LINE = 6.0  # mm, body line height
QR_SIZE = 26.0  # mm
LABEL_SHARE = 0.42  # of the text width, for the label column of label/value rows
ROW_GAP = 1.2  # mm, between label/value rows
SIGNING_SPACE = 18.0  # mm, left blank above the signer's name


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


def _fitted_size(pdf: FPDF, text: str, style: str, size: float, width: float) -> float:
    """The font size for a centred line: long agency or signer names shrink to 8 pt, then wrap."""
    pdf.set_font(FONT, style, size)
    while pdf.get_string_width(text) > width and size > 8:
        size -= 0.5
        pdf.set_font(FONT, style, size)
    return size


def _centered_lines(pdf: FPDF, x: float, width: float, lines: list[tuple[str, str, float]], underline_last=False):
    """Lines centered in a column starting at x; each (text, style, size). Returns the bottom y."""
    pdf.set_x(x)
    for text, style, size in lines:
        if not text:
            continue
        size = _fitted_size(pdf, text, style, size, width)
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


def _text_height(pdf: FPDF, width: float, line_height: float, text: str, *, style: str = "", size: float = 11) -> float:
    """How tall `text` is once wrapped in a column `width` wide, without printing it."""
    pdf.set_font(FONT, style, size)
    return pdf.multi_cell(width, line_height, text, dry_run=True, output=MethodReturnValue.HEIGHT)


def _centered_height(pdf: FPDF, width: float, lines: list[tuple[str, str, float]]) -> float:
    height = 0.0
    for text, style, size in lines:
        if text:
            size = _fitted_size(pdf, text, style, size, width)
            height += _text_height(pdf, width, size * 0.5, text, style=style, size=size)
    return height


def _room(pdf: FPDF) -> float:
    """The height left on the current page above the bottom margin."""
    return pdf.page_break_trigger - pdf.get_y()


def _header(pdf: FPDF, document: IssuedDocument) -> None:
    top, left = pdf.get_y(), pdf.l_margin
    usable = pdf.epw
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
    label_width = pdf.epw * LABEL_SHARE
    for label, value in block.rows:
        _fact_row(pdf, f"{label}:", value or "—", label_width=label_width, value_width=pdf.epw - label_width)
    pdf.ln(2)


def _fact_row(pdf: FPDF, label: str, value: str, *, label_width: float, value_width: float) -> None:
    """One label/value row, drawn as two columns rather than a table row: fpdf2 cannot split a table row,
    and a value may be a 4,000-character note. A row that fits on a page is kept on one page; a taller one
    starts where it is and its value flows onto the following pages in its column."""
    label_height = _text_height(pdf, label_width, LINE, label, style="B")
    value_height = _text_height(pdf, value_width, LINE, value)
    height = max(label_height, value_height)
    fits_on_a_page = height <= pdf.page_break_trigger - pdf.t_margin
    if height > _room(pdf) and (fits_on_a_page or label_height + LINE > _room(pdf)):
        pdf.add_page()
    top, page = pdf.get_y(), pdf.page
    pdf.set_font(FONT, "B", 11)
    pdf.set_xy(pdf.l_margin, top)
    pdf.multi_cell(label_width, LINE, label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    label_bottom = pdf.get_y()
    pdf.set_font(FONT, "", 11)
    pdf.set_xy(pdf.l_margin + label_width, top)
    pdf.multi_cell(value_width, LINE, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    bottom = pdf.get_y() if pdf.page != page else max(pdf.get_y(), label_bottom)
    pdf.set_xy(pdf.l_margin, bottom + ROW_GAP)


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
    """The signature blocks side by side, kept together: on the next page when they do not fit."""
    if not signatures:
        return
    width = pdf.epw / 2
    # One signature sits on the right, as on the forms; two share the width.
    columns = [pdf.l_margin + width] if len(signatures) == 1 else [pdf.l_margin + i * width for i in range(2)]
    blocks = [([(s.title, "B", 11), (s.note, "", 9.5)], [(s.name, "B", 11)]) for s in signatures[: len(columns)]]
    height = 2 + max(_centered_height(pdf, width, head + name) for head, name in blocks) + SIGNING_SPACE + 6
    if height > _room(pdf):
        pdf.add_page()
    top = pdf.get_y() + 2
    bottoms = []
    for x, (head, name) in zip(columns, blocks, strict=True):
        pdf.set_y(top)
        _centered_lines(pdf, x, width, head)
        pdf.set_y(pdf.get_y() + SIGNING_SPACE)
        bottoms.append(_centered_lines(pdf, x, width, name))
    pdf.set_y(max(bottoms) + 6)


def _qr(pdf: FPDF, document: IssuedDocument) -> None:
    if QR_SIZE + 4 > _room(pdf):
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
