"""The signer interface: a signer turns an agency's unsigned result PDF into the PDF the agency signed, with a visible
stamp and a QR code to the verification page. `PyHankoSigner` does that for any key pyHanko can sign with; a
subclass says where the agency's key is (`pyhanko_signer`)."""

import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigSeedSubFilter

from portal.api_errors import Refusal

from ..error_codes import ErrorCode
from .run import run_coroutine
from .stamp import SignatureStamp, stamp_box, stamp_style


class SigningRefused(Refusal):
    """The result cannot be signed now (no usable key, an expired certificate, a PDF that cannot be read): `message`
    for people, `code` (an ErrorCode) for programs. Nothing is signed."""


@dataclass(frozen=True)
class SignedPdf:
    pdf: bytes
    sha256: str
    certificate_subject: str
    certificate_serial: str


class ResultSigner(ABC):
    """Signs results in an agency's name. `field_name` names the signature in the PDF (the verification page finds
    the issued result by it); `stamp` is what the visible stamp says."""

    @abstractmethod
    def sign(self, *, pdf: bytes, agency, field_name: str, stamp: SignatureStamp) -> SignedPdf: ...


class PyHankoSigner(ResultSigner):
    """A PAdES baseline signature (SubFilter ETSI.CAdES.detached, SHA-256) with the stamp on the last page."""

    @abstractmethod
    def pyhanko_signer(self, agency) -> signers.Signer:
        """The agency's key and certificate chain, as a pyHanko signer; SigningRefused when there is none."""

    def sign(self, *, pdf: bytes, agency, field_name: str, stamp: SignatureStamp) -> SignedPdf:
        signer = self.pyhanko_signer(agency)
        certificate = signer.signing_cert
        _check_validity(certificate, at=stamp.signed_at)
        try:
            writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
            last_page = -1
            metadata = signers.PdfSignatureMetadata(
                field_name=field_name,
                subfilter=SigSeedSubFilter.PADES,
                md_algorithm="sha256",
                name=stamp.signer_name,
                reason=_("Ban hành kết quả giải quyết thủ tục hành chính"),
                location=stamp.agency_name,
                # The address the stamp's QR code holds, also readable by programs from the signature itself.
                contact_info=stamp.verification_url,
            )
            spec = fields.SigFieldSpec(
                sig_field_name=field_name, on_page=last_page, box=stamp_box(writer, page=last_page)
            )
            output = run_coroutine(
                signers.PdfSigner(
                    metadata, signer=signer, stamp_style=stamp_style(stamp), new_field_spec=spec
                ).async_sign_pdf(writer)
            )
        except (PdfError, KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
            raise SigningRefused(
                _("Văn bản kết quả không đọc được như một tệp PDF nên không ký số được (%(error)s).")
                % {"error": error},
                ErrorCode.RESULT_NOT_SIGNABLE,
            ) from error
        signed = output.getvalue()
        return SignedPdf(
            pdf=signed,
            sha256=hashlib.sha256(signed).hexdigest(),
            certificate_subject=certificate.subject.human_friendly,
            certificate_serial=format(certificate.serial_number, "X"),
        )


def check_signable(pdf: bytes) -> None:
    """Refuse a file pyHanko cannot open for signing (checked when the result is proposed, long before approval)."""
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        writer.find_page_for_modification(-1)
    except (PdfError, KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        raise SigningRefused(
            _("Văn bản kết quả không đọc được như một tệp PDF nên không ký số được (%(error)s).") % {"error": error},
            ErrorCode.RESULT_NOT_SIGNABLE,
        ) from error


def _check_validity(certificate, *, at: datetime) -> None:
    """Refuse to sign outside the certificate's validity: a signature it does not cover would never verify."""
    validity = certificate["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    if at > not_after:
        raise SigningRefused(
            _(
                "Chứng thư số ký kết quả của cơ quan đã hết hạn từ %(date)s. Hãy gia hạn chứng thư số (hoặc cấu hình "
                "chứng thư mới) rồi phê duyệt lại; hồ sơ vẫn ở trạng thái chờ phê duyệt."
            )
            % {"date": f"{timezone.localtime(not_after):%d/%m/%Y}"},
            ErrorCode.SIGNING_CERTIFICATE_EXPIRED,
        )
    if at < not_before:
        raise SigningRefused(
            _("Chứng thư số ký kết quả của cơ quan chỉ có hiệu lực từ %(date)s.")
            % {"date": f"{timezone.localtime(not_before):%d/%m/%Y}"},
            ErrorCode.SIGNING_CERTIFICATE_EXPIRED,
        )
