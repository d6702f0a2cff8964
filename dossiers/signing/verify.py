"""What pyHanko's own validation says of a PDF's signature, against the roots the portal trusts
(`RESULT_SIGNING_TRUST_ROOTS`: PEM or DER files). Nothing here decides validity by hand: pyHanko checks that the
signed bytes are unchanged (intact), that the signature is the certificate's (valid), that the certificate chains to
a trusted root and is usable now (trusted), and what the file gained after the signature (coverage)."""

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from io import BytesIO
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .run import run_coroutine

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignatureCheck:
    """One PDF as pyHanko reads it. `readable`: a PDF pyHanko could open; `signed`: it holds a signature (the
    first is checked: the portal signs a result once); then pyHanko's verdicts and what the certificate says."""

    readable: bool
    signed: bool = False
    field_name: str = ""
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer_subject: str = ""
    signer_organization: str = ""
    signing_time: datetime | None = None

    @property
    def ok(self) -> bool:
        """Valid: unchanged since it was signed, by a certificate of a trusted root, with nothing added after."""
        return self.intact and self.valid and self.trusted and self.whole_file


def _load_certificates(path: Path) -> list[asn1_x509.Certificate]:
    data = path.read_bytes()
    if pem.detect(data):
        return [asn1_x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(data, multiple=True)]
    return [asn1_x509.Certificate.load(data)]


@cache
def _roots(paths: tuple[str, ...]) -> tuple[asn1_x509.Certificate, ...]:
    roots = []
    for name in paths:
        try:
            roots.extend(_load_certificates(Path(name)))
        except (OSError, ValueError):
            logger.error("Trust root %s cannot be read; results signed under it will not verify", name)
    return tuple(roots)


def trust_roots() -> tuple[asn1_x509.Certificate, ...]:
    # Cached by the paths: a demo root made on first use is read once it exists.
    paths = tuple(str(path) for path in settings.RESULT_SIGNING_TRUST_ROOTS if Path(path).exists())
    return _roots(paths)


def check_pdf_signature(data: bytes) -> SignatureCheck:
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError):
        return SignatureCheck(readable=False)
    if not signatures:
        return SignatureCheck(readable=True)
    signature = signatures[0]
    try:
        certificate = signature.signer_cert
        context = ValidationContext(trust_roots=list(trust_roots()), allow_fetching=False)
        status = run_coroutine(async_validate_pdf_signature(signature, signer_validation_context=context))
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError):
        # A signature pyHanko cannot even evaluate (its bytes damaged): signed, and nothing about it holds.
        return SignatureCheck(readable=True, signed=True, field_name=signature.field_name or "")
    subject = certificate.subject.native
    return SignatureCheck(
        readable=True,
        signed=True,
        field_name=signature.field_name or "",
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer_subject=subject.get("common_name", ""),
        signer_organization=subject.get("organization_name", ""),
        signing_time=status.signer_reported_dt,
    )
