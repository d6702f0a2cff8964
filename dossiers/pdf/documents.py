"""The documents the portal issues (forms 01 to 05 of Circular 01/2018/TT-VPCP, renumbered by Circular
03/2025/TT-VPCP): a `*_content` function per document turns the dossier, and what the document needs
(already loaded by the caller through dossiers.selectors), into an `IssuedDocument`; the `*_pdf`
functions render it. Nothing here queries the database."""

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.text import short_datetime

from ..models import Dossier, DossierEvent, SupplementRequest
from ..selectors import ControlSheetRow, ReceivedComponent
from .content import Facts, IssuedDocument, Paragraph, Signature, Table
from .layout import render

# --- shared wording ------------------------------------------------------------------------------


def lookup_url(code: str) -> str:
    """The public lookup of a dossier, as its QR code opens it."""
    base = settings.PORTAL_BASE_URL.rstrip("/")
    return f"{base}{reverse('dossiers:lookup')}?{urlencode({'code': code})}"


def date_words(moment: datetime | None) -> str:
    if moment is None:
        return ""
    day = timezone.localtime(moment).date()
    return _("ngày %(d)02d tháng %(m)02d năm %(y)d") % {"d": day.day, "m": day.month, "y": day.year}


def time_words(moment: datetime | None) -> str:
    """ "14 giờ 30 phút, ngày 25 tháng 11 năm 2026", as the forms write an appointment."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return _("%(h)02d giờ %(mi)02d phút, %(date)s") % {"h": local.hour, "mi": local.minute, "date": date_words(local)}


def _place() -> str:
    """The place written before the date: the province's name without "tỉnh" / "thành phố"."""
    name = settings.PORTAL_PROVINCE_NAME
    for prefix in ("tỉnh ", "Tỉnh ", "thành phố ", "Thành phố "):
        name = name.removeprefix(prefix)
    return name


def _place_and_date(moment: datetime | None) -> str:
    return f"{_place()}, {date_words(moment or timezone.now())}"


def _governing_body(dossier: Dossier) -> str:
    parent = dossier.agency.parent if dossier.agency.parent_id else None
    if parent is not None:
        return parent.name.upper()
    return (_("Ủy ban nhân dân %(province)s") % {"province": settings.PORTAL_PROVINCE_NAME}).upper()


def _document(
    dossier: Dossier, *, title: str, issued_at, body, signatures, landscape=False, one_page=False
) -> IssuedDocument:
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
        one_page=one_page,
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
                (_("4. Thời gian nhận hồ sơ"), time_words(dossier.received_at)),
                (_("5. Thời gian trả kết quả giải quyết hồ sơ"), time_words(dossier.due_at)),
                (_("6. Đăng ký nhận kết quả tại"), _delivery(dossier)),
            )
        ),
        Paragraph(
            _(
                "Tra cứu tình trạng hồ sơ: quét mã QR bên dưới, hoặc trên Cổng Dịch vụ công bằng mã hồ sơ và 4 số "
                "cuối CCCD/mã số thuế hoặc số điện thoại."
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
        one_page=True,  # handed over the counter: one sheet
    )


def supplement_request_content(dossier: Dossier, *, request: SupplementRequest) -> IssuedDocument:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (form 02): the items and note of one request."""
    body = [
        Paragraph(
            _("%(date)s, %(agency)s nhận được hồ sơ của:")
            % {"date": date_words(dossier.submitted_at).capitalize(), "agency": dossier.agency.name}
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
    if request.respond_by is not None:
        body.append(
            Paragraph(
                _("Hạn nộp hồ sơ bổ sung: %(day)s.") % {"day": request.respond_by.strftime("%d/%m/%Y")}, bold=True
            )
        )
    if dossier.received_at is not None and dossier.received_at <= request.requested_at:
        body.append(
            Paragraph(
                _("Thời hạn giải quyết hồ sơ tạm dừng từ %(time)s cho đến khi nhận đủ hồ sơ bổ sung.")
                % {"time": time_words(request.requested_at)}
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
                (_("Thời gian nộp hồ sơ"), time_words(dossier.submitted_at)),
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
            % {"date": date_words(dossier.received_at).capitalize(), "agency": dossier.agency.name}
        ),
        Facts(
            (
                *_applicant_rows(dossier, contact=False),
                _request_row(dossier),
                (_("Mã hồ sơ"), dossier.code or ""),
                (_("Thời gian hẹn trả kết quả giải quyết hồ sơ"), time_words(dossier.original_due_at)),
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
            % {"agency": dossier.agency.name, "due": time_words(new_due)}
        ),
        Facts(((_("Ngày hẹn trả kết quả mới"), time_words(new_due)),)),
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
        (_("Thời gian nhận hồ sơ"), time_words(dossier.received_at)),
        (_("Thời gian hẹn trả kết quả"), time_words(dossier.due_at)),
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
            _("Hạn của bước"),
            _("Kết quả"),
        ),
        widths=(9, 30, 42, 42, 42, 30, 22),
        rows=tuple(
            (
                str(r.number),
                short_datetime(r.at),
                r.giver,
                r.receiver,
                r.action,
                short_datetime(r.step_due_at) or "—",
                str(r.mark_label),
            )
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
