"""Every issued document at the longest input its form accepts: notes and reasons of 4,000 characters, a
supplement request of 4,000 characters of items, names and addresses of 255, procedure and component names
of 500, agency names of 255; once in Vietnamese words with diacritics and once as words with no space at
all (wider than any line). Each PDF is downloaded as a person would and read back: every text is printed
in full, pages are numbered, and the signatures and the QR code are still placed, after the body.

The limits are read from the forms and models, so a form that accepts more is tested at its new limit."""

import re
import uuid
import zlib
from datetime import timedelta

import pytest
from django.urls import reverse

from dossiers import pdf, services
from dossiers.constants import Channel, DeliveryMethod, DossierStatus, Outcome
from dossiers.forms.officer import (
    ApologizeForm,
    IntakeForm,
    ProposeForm,
    RefuseForm,
    RequestSupplementForm,
)
from dossiers.models import Dossier
from portal.models import User
from procedures.models import Agency, Procedure, RequiredDocument
from tests.factories import AgencyFactory, ProcedureFactory, RequiredDocumentFactory, UserFactory, dossier_in_status
from tests.factories import pdf_upload as upload

pytestmark = pytest.mark.django_db

# A different piece of Vietnamese for every field, so finding one text cannot stand for finding another.
PIECES = {
    "agency": "Sở Tài nguyên và Môi trường tỉnh Quảng Ngãi phụ trách đất đai ",
    "parent": "Ủy ban nhân dân tỉnh Thừa Thiên Huế và các huyện thị xã ",
    "procedure": "Cấp giấy phép xây dựng nhà ở riêng lẻ đối với công trình cấp đặc biệt ",
    "component": "Bản vẽ thiết kế kỹ thuật hoặc bản vẽ thi công được phê duyệt ",
    "applicant": "Công ty Cổ phần Đầu tư Xây dựng Hưng Thịnh Nguyễn Thị Thuỷ Tiên ",
    "address": "Số mười hai ngõ ba mươi tư đường Lê Thánh Tông phường Hải Châu ",
    "delivery": "Bưu cục Sơn Trà tổ năm khu phố Mỹ Khê quận Ngũ Hành Sơn ",
    "reception": "Trần Thị Tiếp Nhận Hồ Sơ Bộ Phận Một Cửa ",
    "processing": "Lê Văn Chuyên Viên Xử Lý Phòng Quản Lý Đô Thị ",
    "approver": "Phạm Quốc Lãnh Đạo Phê Duyệt Ký Số ",
    "item": "Bản sao có chứng thực giấy chứng nhận quyền sử dụng đất số ",
    "note": "Tờ khai thiếu chữ ký của người đại diện theo pháp luật ở trang hai, ",
    "reason": "Cần xác minh thêm nguồn gốc sử dụng đất tại Ủy ban nhân dân phường, ",
}
SHAPES = ["words", "one-word"]  # Vietnamese words; the same letters with no space (wider than a line)


def text_of(length: int, piece: str, shape: str) -> str:
    """Exactly `length` characters of `piece` repeated, in words or as one word, ending with a letter so
    that stripping keeps the length."""
    piece = PIECES[piece] if shape == "words" else PIECES[piece].replace(" ", "")
    return (piece * (length // len(piece) + 1))[: length - 1] + "ạ"


def limit(form_or_model, name: str) -> int:
    fields = getattr(form_or_model, "base_fields", None)
    return fields[name].max_length if fields is not None else form_or_model._meta.get_field(name).max_length


# --- reading a PDF back ----------------------------------------------------------------------------
# fpdf2 writes text with Type0 fonts: two-byte glyph codes and a ToUnicode map per font. Nothing else is
# needed to read back what it prints (no PDF library is installed).


def _stream(body: bytes) -> bytes:
    data = re.search(rb"stream\r?\n(.*)\r?\nendstream", body, re.S)[1]
    return zlib.decompress(data) if b"/FlateDecode" in body else data


def _unescape(literal: bytes) -> bytes:
    named = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}

    def one(match):
        escaped = match[1]
        return bytes([int(escaped, 8)]) if escaped[:1].isdigit() else named.get(escaped, escaped)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, literal, flags=re.S)


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, in the order it is drawn, one line per text object."""
    objects = {int(n): body for n, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", content, re.S)}
    fonts = {}
    for name, number in set(re.findall(rb"/(F\d+) (\d+) 0 R", content)):
        cmap = _stream(objects[int(re.search(rb"/ToUnicode (\d+) 0 R", objects[int(number)])[1])])
        pairs = re.findall(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>", cmap.split(b"beginbfchar", 1)[1])
        fonts[name] = {int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be") for code, text in pairs}
    pages = []
    for page in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids \[(.*?)\]", content, re.S)[1]):
        drawn = _stream(objects[int(re.search(rb"/Contents (\d+) 0 R", objects[int(page)])[1])])
        font, text = None, []
        for font_name, literal, end in re.findall(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\)|(ET)", drawn, re.S):
            if font_name:
                font = fonts[font_name]
            elif end:
                text.append("\n")
            else:
                raw = _unescape(literal)
                text.append("".join(font[int.from_bytes(raw[i : i + 2], "big")] for i in range(0, len(raw), 2)))
        pages.append("".join(text))
    return pages


def squeezed(text: str) -> str:
    """Without any white space: where a line breaks, inside a word or between two, does not matter."""
    return "".join(text.split())


def test_reading_back_finds_what_a_document_prints():
    # Given a small document with Vietnamese text
    document = pdf.IssuedDocument(
        title="PHIẾU THỬ",
        code="000.00.25.H56-260115-0001",
        governing_body="ỦY BAN NHÂN DÂN TỈNH",
        agency_name="SỞ XÂY DỰNG",
        place_and_date="Huế, ngày 15 tháng 01 năm 2026",
        qr_url="http://testserver.example/tra-cuu/?code=000.00.25.H56-260115-0001",
        body=(pdf.Paragraph("Xin chào (Đà Nẵng) \\ Ngũ Hành Sơn"),),
    )

    # When it is rendered and read back
    (page,) = pdf_pages(pdf.render(document))

    # Then every line is there, in the order it is drawn, parentheses and backslash included
    lines = [line for line in page.splitlines() if line]
    assert lines[:2] == ["ỦY BAN NHÂN DÂN TỈNH", "SỞ XÂY DỰNG"]
    assert "Xin chào (Đà Nẵng) \\ Ngũ Hành Sơn" in lines
    assert lines[-1] == "Mã hồ sơ: 000.00.25.H56-260115-0001 – Trang 1/1"


# --- dossiers at the limits --------------------------------------------------------------------------


def long_officers(procedure, shape):
    name_limit = limit(User, "full_name")
    return {
        key: UserFactory(**{role: True}, agency=procedure.agency, full_name=text_of(name_limit, key, shape))
        for key, role in (
            ("reception", "reception_officer"),
            ("processing", "processing_officer"),
            ("approver", "approver"),
        )
    }


def long_procedure(shape):
    """A procedure of an agency under a parent, every name at its limit, delivering by post."""
    parent = AgencyFactory(name=text_of(limit(Agency, "name"), "parent", shape))
    agency = AgencyFactory(name=text_of(limit(Agency, "name"), "agency", shape), parent=parent)
    procedure = ProcedureFactory(
        agency=agency, name=text_of(limit(Procedure, "name"), "procedure", shape), delivers_by_post=True
    )
    RequiredDocumentFactory(
        procedure=procedure,
        name=text_of(limit(RequiredDocument, "name"), "component", shape),
        accepted_file_types=["pdf"],
    )
    return procedure


def counter_dossier(shape):
    """A dossier taken at the counter (so received at once) with the applicant's name, address and postal
    address at the limits of the intake form."""
    procedure = long_procedure(shape)
    officers = long_officers(procedure, shape)
    component = procedure.documents.get()
    dossier = services.dossier_record_intake(
        officer=officers["reception"],
        procedure=procedure,
        client_token=uuid.uuid4(),
        channel=Channel.COUNTER,
        applicant_name=text_of(limit(IntakeForm, "applicant_name"), "applicant", shape),
        applicant_address=text_of(limit(IntakeForm, "applicant_address"), "address", shape),
        delivery_method=DeliveryMethod.COUNTER,
        files_by_component={component.pk: [upload()]},
    )
    # By post, the one line a structured address is written as, at the column's limit (the carrier's quote is
    # tested in tests/postal).
    dossier.delivery_method = DeliveryMethod.POSTAL
    dossier.delivery_address = text_of(limit(Dossier, "delivery_address"), "delivery", shape)
    dossier.save(update_fields=["delivery_method", "delivery_address"])
    return dossier, officers


def names_and_procedure(dossier):
    """The applicant, the procedure, and the agency and its parent as the heading prints them."""
    return [
        dossier.applicant_name,
        dossier.procedure.name,
        dossier.agency.name.upper(),
        dossier.agency.parent.name.upper(),
    ]


def receipt(shape):
    dossier, officers = counter_dossier(shape)
    printed = [
        *names_and_procedure(dossier),
        dossier.applicant_address,
        dossier.delivery_address,
        dossier.procedure.documents.get().name,
    ]
    return dossier, officers["reception"], printed, [dossier.applicant_name, officers["reception"].full_name]


def supplement_items(shape) -> str:
    """The items box of the supplement request, full: many lines of items, or one item with no space."""
    size = limit(RequestSupplementForm, "items")
    if shape == "one-word":
        return text_of(size, "item", shape)
    lines, n = [], 1
    while len("\n".join(lines)) < size:
        lines.append(f"{PIECES['item']}{n}")
        n += 1
    return "\n".join(lines)[: size - 1] + "ạ"


def supplement_request(shape):
    dossier, officers = counter_dossier(shape)
    # The request as the officer's form parses it, at the form's limits.
    form = RequestSupplementForm(
        data={
            "request_supplement-items": supplement_items(shape),
            "request_supplement-note": text_of(limit(RequestSupplementForm, "note"), "note", shape),
        },
        dossier=dossier,
    )
    assert form.is_valid(), form.errors
    dossier = services.dossier_request_supplement(dossier=dossier, officer=officers["reception"], **form.cleaned_data)
    printed = [*names_and_procedure(dossier), *form.cleaned_data["items"], form.cleaned_data["note"]]
    return dossier, officers["reception"], printed, [officers["reception"].full_name]


def refusal(shape):
    """Refused at the desk, before reception (an online dossier: one taken at the counter is received at once)."""
    procedure = long_procedure(shape)
    dossier, officers = dossier_in_status(
        DossierStatus.SUBMITTED, procedure=procedure, officers=long_officers(procedure, shape)
    )
    reason = text_of(limit(RefuseForm, "reason"), "reason", shape)
    dossier = services.dossier_refuse(dossier=dossier, officer=officers["reception"], reason=reason)
    return dossier, officers["reception"], [*names_and_procedure(dossier), reason], [officers["reception"].full_name]


def refusal_by_approval(shape):
    """A refusal proposed by the specialist with the longest note the proposal form takes, then approved."""
    procedure = long_procedure(shape)
    officers = long_officers(procedure, shape)
    dossier, _ = dossier_in_status(DossierStatus.PROCESSING, procedure=procedure, officers=officers)
    dossier = services.dossier_take(dossier=dossier, officer=officers["processing"])
    note = text_of(limit(ProposeForm, "note"), "reason", shape)
    dossier = services.dossier_propose(
        dossier=dossier, officer=officers["processing"], outcome=Outcome.REFUSAL, note=note
    )
    dossier = services.dossier_approve(dossier=dossier, approver=officers["approver"])
    return dossier, officers["reception"], [*names_and_procedure(dossier), note], [officers["approver"].full_name]


def apology(shape):
    dossier, officers = counter_dossier(shape)
    reason = text_of(limit(ApologizeForm, "reason"), "reason", shape)
    dossier = services.dossier_apologize(
        dossier=dossier, officer=officers["reception"], new_due_at=dossier.due_at + timedelta(days=3), reason=reason
    )
    return dossier, officers["reception"], [*names_and_procedure(dossier), reason], [officers["reception"].full_name]


def control_sheet(shape):
    """A dossier taken to the end by officers whose names are at their limit, for an enterprise whose name
    is at its limit: every cell of the sheet's table is as long as it gets."""
    procedure = long_procedure(shape)
    officers = long_officers(procedure, shape)
    applicant = UserFactory(
        enterprise=True, organization_name=text_of(limit(User, "organization_name"), "applicant", shape)
    )
    dossier, _ = dossier_in_status(DossierStatus.RETURNED, procedure=procedure, applicant=applicant, officers=officers)
    printed = [*names_and_procedure(dossier), *(officer.full_name for officer in officers.values())]
    return dossier, officers["reception"], printed, []


DOCUMENTS = {
    # name: (builder, address of the PDF)
    "receipt": (receipt, lambda d: reverse("dossiers:issued-document", args=[d.pk, "receipt"])),
    "supplement-request": (
        supplement_request,
        lambda d: reverse("dossiers:issued-document", args=[d.pk, "supplement-request"]),
    ),
    "refusal": (refusal, lambda d: reverse("dossiers:issued-document", args=[d.pk, "refusal"])),
    "refusal-by-approval": (refusal_by_approval, lambda d: reverse("dossiers:issued-document", args=[d.pk, "refusal"])),
    "apology": (apology, lambda d: reverse("dossiers:issued-document", args=[d.pk, "apology"])),
    "control-sheet": (control_sheet, lambda d: reverse("dossiers:control-sheet-pdf", args=[d.pk])),
}


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PORTAL_BASE_URL = "http://testserver.example"


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_each_document_prints_the_longest_input_in_full(client, name, shape):
    # Given a dossier whose every text printed on the document is as long as its form accepts
    build, url = DOCUMENTS[name]
    dossier, officer, printed, signers = build(shape)

    # When an officer of the agency downloads the document
    client.force_login(officer)
    response = client.get(url(dossier))

    # Then a whole PDF comes back
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    pages = pdf_pages(content)
    assert re.search(rb"/Count %d\s" % len(pages), content)
    # its pages numbered at the foot, the text flowing over several of them
    assert len(pages) >= 2
    bodies = []
    for number, page in enumerate(pages, start=1):
        *body, footer = page.rstrip().splitlines()
        assert footer == f"Mã hồ sơ: {dossier.code} – Trang {number}/{len(pages)}"
        bodies.append("\n".join(body))
    text = squeezed("".join(bodies))
    # every long text printed in full, Vietnamese letters as typed
    for expected in printed:
        assert squeezed(expected) in text, f"missing: {expected[:60]}…"
    # the signatures after the body, then the QR code with the lookup address, on the last page
    body_end = max(text.index(squeezed(expected)) + len(squeezed(expected)) for expected in printed)
    for signer in signers:
        assert text.rindex(squeezed(signer)) >= body_end
    last_page = squeezed(bodies[-1])
    if name == "receipt":
        # One sheet when its texts are usual: the QR code stands beside the signatures, the body says so
        assert squeezed("quét mã QR bên dưới") in text
        return
    lookup = squeezed(
        f"Quét mã QR hoặc truy cập địa chỉ dưới đây để tra cứu tình trạng hồ sơ:{pdf.lookup_url(dossier.code)}"
    )
    assert lookup in last_page
    assert text.index(lookup) > max([body_end, *(text.rindex(squeezed(s)) for s in signers)])


def test_a_row_that_fits_on_a_page_is_not_split_across_two():
    # Given a page nearly filled with paragraphs, then a label/value row of a few lines
    value = "Cần xác minh thêm tại địa phương " * 8
    document = pdf.IssuedDocument(
        title="PHIẾU THỬ",
        code="000.00.25.H56-260115-0002",
        governing_body="ỦY BAN NHÂN DÂN TỈNH",
        agency_name="SỞ XÂY DỰNG",
        place_and_date="Huế, ngày 15 tháng 01 năm 2026",
        qr_url="http://testserver.example/tra-cuu/?code=000.00.25.H56-260115-0002",
        body=(*(pdf.Paragraph(f"Đoạn văn số {n}") for n in range(32)), pdf.Facts((("Lý do", value),))),
    )

    pages = pdf_pages(pdf.render(document))

    # Then the row moves whole to the next page, its label with it
    assert len(pages) == 2
    assert "Lý do" not in pages[0]
    assert squeezed(f"Lý do:{value}") in squeezed(pages[1])
