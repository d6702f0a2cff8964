"""The slip the reception officer prints and puts on the envelope ("Phiếu gửi kết quả qua bưu chính"), laid out by
the dossier documents' helpers (dossiers.pdf): sender (the agency's one-stop desk), receiver, contents, the carrier's
tracking number, and a QR code to the dossier's public lookup. `label_content` is what it prints, as text (tests
read it); `label_pdf` renders it."""

from django.conf import settings
from django.utils.translation import gettext as _

from dossiers.pdf import Facts, IssuedDocument, Paragraph, date_words, lookup_url, render

from .carriers import registry
from .models import Shipment


def label_content(shipment: Shipment) -> IssuedDocument:
    dossier = shipment.dossier
    agency = dossier.agency
    governing = (
        agency.parent.name
        if agency.parent_id
        else _("Ủy ban nhân dân %(province)s") % {"province": settings.PORTAL_PROVINCE_NAME}
    )
    return IssuedDocument(
        title=_("PHIẾU GỬI KẾT QUẢ QUA BƯU CHÍNH"),
        code=dossier.code,
        governing_body=governing.upper(),
        agency_name=agency.name.upper(),
        place_and_date=date_words(shipment.requested_at).capitalize(),
        qr_url=lookup_url(dossier.code),
        body=(
            Facts(
                (
                    (_("Đơn vị bưu chính"), registry.label(shipment.carrier)),
                    (_("Số hiệu bưu gửi"), shipment.tracking_number or _("(chờ bưu điện cấp)")),
                )
            ),
            Paragraph(_("Người gửi"), bold=True),
            Facts(
                (
                    (_("Tên"), _("Bộ phận Một cửa - %(agency)s") % {"agency": agency.name}),
                    (_("Địa chỉ"), agency.address),
                    (_("Điện thoại"), agency.phone),
                )
            ),
            Paragraph(_("Người nhận"), bold=True),
            Facts(
                (
                    (_("Họ và tên"), shipment.receiver_name),
                    (_("Điện thoại"), shipment.receiver_phone),
                    (_("Địa chỉ"), shipment.receiver_address),
                )
            ),
            Paragraph(_("Nội dung"), bold=True),
            Facts(
                (
                    (_("Mã hồ sơ"), dossier.code),
                    (_("Thủ tục"), dossier.procedure.name),
                    (_("Bưu gửi"), _("Kết quả giải quyết thủ tục hành chính")),
                )
            ),
        ),
    )


def label_pdf(shipment: Shipment) -> bytes:
    return render(label_content(shipment))
