"""The electronic receipt ("biên lai điện tử") as a PDF, laid out by the dossier documents' helpers
(dossiers.pdf: the issuing body and motto, label/value rows, signature, a QR code to the dossier's public lookup).
`receipt_content` is what it prints, as text (tests read it); `receipt_pdf` renders it."""

from django.conf import settings
from django.utils.translation import gettext as _

from dossiers.pdf import Facts, IssuedDocument, Paragraph, Signature, date_words, lookup_url, render, time_words

from .constants import PaymentPurpose
from .models import Receipt
from .money import amount_in_figures, amount_in_words
from .services.core import method_label


def _governing_body(agency) -> str:
    if agency.parent_id:
        return agency.parent.name.upper()
    return (_("Ủy ban nhân dân %(province)s") % {"province": settings.PORTAL_PROVINCE_NAME}).upper()


def receipt_content(receipt: Receipt) -> IssuedDocument:
    payment, dossier = receipt.payment, receipt.payment.dossier
    transaction = payment.reference
    if payment.provider_transaction_no:
        transaction = f"{transaction} ({payment.provider_transaction_no})"
    payer_rows = [(_("Người nộp"), dossier.applicant_name)]
    if dossier.applicant_id_number:
        payer_rows.append((_("Số CCCD / Mã số thuế"), dossier.applicant_id_number))
    body = [
        Facts(((_("Ký hiệu"), receipt.series), (_("Số"), receipt.number_text))),
        Facts(
            (
                (_("Đơn vị thu"), dossier.agency.name),
                *payer_rows,
                (_("Mã hồ sơ"), dossier.code),
                (_("Thủ tục"), f"{dossier.procedure.name} ({dossier.procedure.code})"),
                (_("Khoản thu"), str(PaymentPurpose(payment.purpose).label)),
                (_("Số tiền"), amount_in_figures(payment.amount)),
                (_("Bằng chữ"), amount_in_words(payment.amount)),
                (_("Hình thức thanh toán"), method_label(payment)),
                (_("Mã giao dịch"), transaction),
                (_("Thời điểm thanh toán"), time_words(payment.paid_at)),
            )
        ),
        Paragraph(
            _("Biên lai điện tử lập trên Cổng Dịch vụ công. Quét mã QR để tra cứu hồ sơ %(code)s.")
            % {"code": dossier.code}
        ),
    ]
    collector = payment.recorded_by.full_name if payment.recorded_by else dossier.agency.name
    return IssuedDocument(
        title=_("BIÊN LAI THU PHÍ, LỆ PHÍ"),
        code=dossier.code,
        governing_body=_governing_body(dossier.agency),
        agency_name=dossier.agency.name.upper(),
        place_and_date=date_words(receipt.issued_at).capitalize(),
        qr_url=lookup_url(dossier.code),
        body=tuple(body),
        signatures=(Signature(_("ĐƠN VỊ THU"), _("(Biên lai điện tử)"), collector),),
    )


def receipt_pdf(receipt: Receipt) -> bytes:
    return render(receipt_content(receipt))
