"""The page furniture every issued document shares, on A4: the issuing body and the national motto, the
place and date, the title with the dossier code, the body blocks, the signature blocks, and a QR code that
opens the public lookup of the dossier. `render` lays an `IssuedDocument` out and returns the PDF.

Every text may be as long as its form accepts (a note or reason of 4,000 characters, a name of 255), with or
without spaces: paragraphs and label/value rows flow onto further pages, a word wider than its column is
broken between characters (fpdf2's word wrap does it), and the signature blocks and the QR code, each kept
in one piece, move to the next page when they do not fit. Only table rows are never split across pages
(fpdf2 refuses a row taller than a page): tables print bounded values only (component and person names,
times), never free notes."""

from dataclasses import dataclass

import qrcode
from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos
from fpdf.fonts import FontFace

from .content import NATIONAL_MOTTO, NATIONAL_NAME, Facts, IssuedDocument, Paragraph, Signature, Table

FONT = "DejaVu"
LINE = 6.0  # mm, the header's line height
LABEL_SHARE = 0.42  # of the text width, for the label column of label/value rows


@dataclass(frozen=True)
class Sizes:
    """Type and spacing of the body, tables, signatures and QR code (pt for type, mm for the rest)."""

    text: float = 11
    line: float = 6.0  # body line height
    row_gap: float = 1.2  # between label/value rows
    table_text: float = 10
    table_line: float = 5.5
    signing_space: float = 18.0  # left blank above the signer's name
    qr: float = 26.0


REGULAR = Sizes()
# A document that must fit one page (the receipt, `IssuedDocument.one_page`): tighter, still legible when printed.
COMPACT = Sizes(text=10, line=4.8, row_gap=0.5, table_text=9, table_line=4.2, signing_space=14.0, qr=22.0)


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
        self.sizes = COMPACT if document.one_page else REGULAR
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
    pdf.set_font(FONT, "B" if block.bold else "", pdf.sizes.text)
    pdf.multi_cell(0, pdf.sizes.line, block.text, align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
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
    sizes = pdf.sizes
    label_height = _text_height(pdf, label_width, sizes.line, label, style="B", size=sizes.text)
    value_height = _text_height(pdf, value_width, sizes.line, value, size=sizes.text)
    height = max(label_height, value_height)
    fits_on_a_page = height <= pdf.page_break_trigger - pdf.t_margin
    if height > _room(pdf) and (fits_on_a_page or label_height + sizes.line > _room(pdf)):
        pdf.add_page()
    top, page = pdf.get_y(), pdf.page
    pdf.set_font(FONT, "B", sizes.text)
    pdf.set_xy(pdf.l_margin, top)
    pdf.multi_cell(label_width, sizes.line, label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    label_bottom = pdf.get_y()
    pdf.set_font(FONT, "", sizes.text)
    pdf.set_xy(pdf.l_margin + label_width, top)
    pdf.multi_cell(value_width, sizes.line, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    bottom = pdf.get_y() if pdf.page != page else max(pdf.get_y(), label_bottom)
    pdf.set_xy(pdf.l_margin, bottom + sizes.row_gap)


def _table(pdf: FPDF, block: Table) -> None:
    pdf.set_font(FONT, "", pdf.sizes.table_text)
    aligns = tuple("CENTER" if i in block.centered_columns else "LEFT" for i in range(len(block.headers)))
    with pdf.table(
        col_widths=block.widths,
        line_height=pdf.sizes.table_line,
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


def _signatures(pdf: FPDF, signatures: tuple[Signature, ...], *, qr_url: str = "") -> None:
    """The signature blocks side by side, kept together: on the next page when they do not fit. With `qr_url`
    (a one-page document), the QR code stands at their left instead of in a block of its own below."""
    if not signatures:
        return
    qr_width = pdf.sizes.qr + 4 if qr_url else 0
    left = pdf.l_margin + qr_width
    width = (pdf.epw - qr_width) / 2
    # One signature sits on the right, as on the forms; two share the width.
    columns = [left + width] if len(signatures) == 1 else [left + i * width for i in range(2)]
    blocks = [([(s.title, "B", 11), (s.note, "", 9.5)], [(s.name, "B", 11)]) for s in signatures[: len(columns)]]
    space = pdf.sizes.signing_space
    height = 2 + max(_centered_height(pdf, width, head + name) for head, name in blocks) + space + 6
    if max(height, qr_width) > _room(pdf):
        pdf.add_page()
    top = pdf.get_y() + 2
    if qr_url:
        _qr_code(pdf, qr_url, x=pdf.l_margin, y=top)
    bottoms = []
    for x, (head, name) in zip(columns, blocks, strict=True):
        pdf.set_y(top)
        _centered_lines(pdf, x, width, head)
        pdf.set_y(pdf.get_y() + space)
        bottoms.append(_centered_lines(pdf, x, width, name))
    pdf.set_y(max([*bottoms, top + qr_width]) + 6)


def _qr_code(pdf: FPDF, url: str, *, x: float, y: float) -> None:
    """The QR code of `url`, `pdf.sizes.qr` wide, its top left corner at (x, y)."""
    matrix = qr_matrix(url)
    module = pdf.sizes.qr / len(matrix)
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


def _qr(pdf: FPDF, document: IssuedDocument) -> None:
    size = pdf.sizes.qr
    if size + 4 > _room(pdf):
        pdf.add_page()
    x, y = pdf.l_margin, pdf.get_y() + 2
    _qr_code(pdf, document.qr_url, x=x, y=y)
    text_x = x + size + 5
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
    pdf.set_y(max(pdf.get_y(), y + size) + 2)


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
    if document.one_page:
        _signatures(pdf, document.signatures, qr_url=document.qr_url)
    else:
        _signatures(pdf, document.signatures)
        _qr(pdf, document)
    return bytes(pdf.output())
