"""The demo catalogue's blank forms ("Mẫu số 01 …"): a one-page PDF for each document that is a form to fill in.

`load_demo` attaches one to every such document that has none yet, so the procedure pages' "Tải mẫu" links work in
`make run`. A form is drawn from the procedure's own data — the agency it is addressed to, the applicant fields it
asks for, the form number in the document's name — in the layout of a Vietnamese administrative form (national
motto, "Kính gửi", dotted lines to fill in, the applicant's signature). The file goes through the same check as an
administrator's upload (`validate_document_template`).
"""

import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.text import slugify
from fpdf import FPDF

from portal.text import fold_vietnamese

# A document is a form to fill in when its name says so, or names its form ("… (Mẫu số 01)").
FORM_NAME_PREFIXES = ("Đơn ", "Tờ khai", "Giấy đề nghị", "Văn bản đề nghị", "Bản khai")
FORM_NUMBER_RE = re.compile(r"\((Mẫu[^,)]*)")
FONT = "DejaVu"
DOTS = "." * 400


def has_blank_form(document_name: str) -> bool:
    return document_name.startswith(FORM_NAME_PREFIXES) or "(Mẫu" in document_name


def blank_form_file(*, document_name: str, agency_name: str, applicant_fields: list[dict]) -> ContentFile:
    """The blank form as a file ready for `RequiredDocument.template`."""
    title = document_name.split(" (")[0]
    filename = f"mau-{slugify(fold_vietnamese(title))[:60]}.pdf"
    pdf = _form_pdf(
        title=title,
        form_number=(match := FORM_NUMBER_RE.search(document_name)) and match.group(1).strip(),
        agency_name=agency_name,
        labels=[item.get("label") or item["name"] for item in applicant_fields],
    )
    return ContentFile(pdf, name=filename)


def _form_pdf(*, title: str, form_number: str | None, agency_name: str, labels: list[str]) -> bytes:
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_font(FONT, "", settings.PDF_FONT_PATH)
    pdf.add_font(FONT, "B", settings.PDF_FONT_BOLD_PATH)
    pdf.set_margins(left=25, top=15, right=20)
    pdf.set_title(title)
    pdf.set_lang("vi")
    pdf.add_page()
    width = pdf.epw
    if form_number:
        pdf.set_font(FONT, "B", 10)
        pdf.cell(width, 5, form_number, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 12)
    pdf.cell(width, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width, 6, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(width, 7, title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(width, 6, f"Kính gửi: {agency_name}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for label in ["Họ và tên người đề nghị", "Số định danh cá nhân (CCCD)", "Địa chỉ liên hệ", *labels]:
        _line_to_fill(pdf, f"{label}: ")
    _line_to_fill(pdf, "Nội dung đề nghị: ")
    _line_to_fill(pdf, "")
    pdf.ln(3)
    pdf.multi_cell(
        width,
        6,
        "Tôi xin cam đoan những thông tin trên là đúng sự thật và chịu trách nhiệm trước pháp luật về nội dung "
        "đã kê khai.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(6)
    signature_x = pdf.l_margin + width / 2
    pdf.set_x(signature_x)
    pdf.cell(width / 2, 6, "…………, ngày …… tháng …… năm ……", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 11)
    pdf.set_x(signature_x)
    pdf.cell(width / 2, 6, "NGƯỜI ĐỀ NGHỊ", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.set_x(signature_x)
    pdf.cell(width / 2, 5, "(Ký, ghi rõ họ tên)", align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _line_to_fill(pdf: FPDF, label: str) -> None:
    """`label` followed by dots to the end of the line."""
    pdf.set_font(FONT, "", 11)
    room = pdf.epw - pdf.get_string_width(label)
    dots = DOTS[: max(int(room / pdf.get_string_width(".")) - 1, 0)]
    pdf.cell(pdf.epw, 8, label + dots, new_x="LMARGIN", new_y="NEXT")
