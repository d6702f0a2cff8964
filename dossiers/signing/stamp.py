"""The visible stamp of a signed result, in the bottom right corner of its last page: who signed (the agency and the
person), when, and a QR code to the result's verification page, with the address written out for those who cannot
scan. It is laid out with fpdf2 (the portal's Vietnamese font, the QR code as vector squares) and becomes the
signature's appearance in pyHanko."""

import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from pyhanko.pdf_utils import content
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.rw_common import find_inherited_value_in_tree
from pyhanko.stamp import StaticStampStyle

from ..pdf import qr_matrix

WIDTH, HEIGHT = 250.0, 92.0  # points
MARGIN = 24.0  # points, from the page's right and bottom edges
QR_SIDE = 66.0
A4 = (0.0, 0.0, 595.28, 841.89)


@dataclass(frozen=True)
class SignatureStamp:
    agency_name: str
    signer_name: str
    signed_at: datetime
    verification_url: str

    def lines(self) -> list[str]:
        moment = timezone.localtime(self.signed_at)
        return [
            _("Ký số bởi: %(agency)s") % {"agency": self.agency_name},
            _("Người ký: %(name)s") % {"name": self.signer_name},
            _("Thời gian ký: %(time)s") % {"time": f"{moment:%H:%M:%S %d/%m/%Y}"},
            _("Quét mã QR hoặc mở địa chỉ sau để xác thực:"),
        ]


def stamp_pdf(stamp: SignatureStamp) -> bytes:
    """The stamp alone as a one-page PDF of WIDTH x HEIGHT points."""
    pdf = FPDF(unit="pt", format=(WIDTH, HEIGHT))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_page()
    pdf.add_font("DejaVu", "", settings.PDF_FONT_PATH)
    pdf.set_draw_color(178, 34, 34)
    pdf.set_line_width(1.2)
    pdf.rect(0.6, 0.6, WIDTH - 1.2, HEIGHT - 1.2)
    modules = qr_matrix(stamp.verification_url)
    module = QR_SIDE / len(modules)
    pdf.set_fill_color(0, 0, 0)
    for row, cells in enumerate(modules):
        for column, dark in enumerate(cells):
            if dark:
                pdf.rect(6 + column * module, 6 + row * module, module, module, style="F")
    text_x = 6 + QR_SIDE + 6
    pdf.set_text_color(178, 34, 34)
    pdf.set_font("DejaVu", size=6.5)
    pdf.set_xy(text_x, 5)
    pdf.multi_cell(WIDTH - text_x - 4, 8.2, "\n".join(stamp.lines()))
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("DejaVu", size=5)
    pdf.set_xy(6, 6 + QR_SIDE + 2)
    pdf.multi_cell(WIDTH - 12, 6, stamp.verification_url)
    return bytes(pdf.output())


class _ImportedStamp(content.PdfContent):
    """The stamp's page as the content of the signature's appearance (pyHanko's own ImportedPdfPage reads a file)."""

    def __init__(self, data: bytes):
        super().__init__(box=BoxConstraints(width=WIDTH, height=HEIGHT))
        self.data = data

    def render(self) -> bytes:
        xobject = self._ensure_writer.import_page_as_xobject(PdfFileReader(BytesIO(self.data)), page_ix=0)
        name = "/Stamp" + binascii.hexlify(uuid.uuid4().bytes).decode("ascii")
        self.resources.xobject[name] = xobject
        return name.encode("ascii") + b" Do"


def stamp_style(stamp: SignatureStamp) -> StaticStampStyle:
    return StaticStampStyle(background=_ImportedStamp(stamp_pdf(stamp)), border_width=0)


def stamp_box(writer, *, page: int) -> tuple[float, float, float, float]:
    """Where the stamp goes on `page`: the bottom right corner, inside the page's own box."""
    page_object = writer.find_page_for_modification(page)[0].get_object()
    media_box = find_inherited_value_in_tree(page_object, "/MediaBox", "/Parent") or A4
    left, bottom, right, _top = (float(value) for value in media_box)
    x2, y1 = right - MARGIN, bottom + MARGIN
    return (max(left, x2 - WIDTH), y1, x2, y1 + HEIGHT)
