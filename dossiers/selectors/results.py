"""Reads of electronic results: who may download which (the signed PDF to whoever may open the dossier, the unsigned
source to its officers), the public verification of a result by its QR code or of any uploaded PDF, and the
applicant's document wallet ("Kho dữ liệu"): its electronic results and the files it uploaded before."""

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.utils.translation import gettext as _

from portal.files import MIME_BY_FILE_TYPE, sniff_file_type
from portal.text import short_datetime
from procedures.constants import FileType

from ..constants import DocumentKind, DossierStatus, ResultStatus
from ..error_codes import ErrorCode
from ..models import Dossier, DossierDocument, IssuedResult
from ..signing.verify import SignatureCheck, check_pdf_signature
from .access import dossier_get_for_user, user_is_dossier_officer

# What the applicant sees of its results: the issued one and those revoked or replaced (never a draft).
PUBLISHED = [ResultStatus.ISSUED, ResultStatus.REVOKED, ResultStatus.REPLACED]
FIELD_PREFIX = "KQ-"
MB = 1024 * 1024
FILE_TYPE_BY_MIME = {mime: file_type for file_type, mime in MIME_BY_FILE_TYPE.items()}


def results_for_dossier(*, dossier: Dossier, user) -> list[IssuedResult]:
    """The dossier's results `user` may see, newest first: all to its officers, the published ones to others."""
    results = dossier.results.select_related("replaced_by").order_by("-created_at", "-id")
    if not user_is_dossier_officer(user=user, dossier=dossier):
        results = results.filter(status__in=PUBLISHED)
    return list(results)


def result_get_for_download(
    *, user, dossier_pk: int, result_pk: int, source: bool = False
) -> tuple[Dossier, FieldFile]:
    """The signed PDF of a published result for whoever may open the dossier; the unsigned source (`source`) for the
    dossier's officers only. 404 for everything else, "missing" and "not yours" alike."""
    dossier = dossier_get_for_user(user=user, pk=dossier_pk)
    officer = user_is_dossier_officer(user=user, dossier=dossier)
    results = dossier.results.all() if officer else dossier.results.filter(status__in=PUBLISHED)
    try:
        result = results.get(pk=result_pk)
    except (IssuedResult.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if source and not officer:
        raise Http404
    file = result.source_file if source else result.signed_file
    if not file:
        raise Http404
    return dossier, file


# --- verification --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    ok: bool
    code: str
    text: str


@dataclass(frozen=True)
class Verification:
    """The verdict on a PDF (or on the result a QR code names): pyHanko's check of its signature, the issued result
    it is (by its SHA-256, else by the name of its signature), and what the portal knows of that result."""

    check: SignatureCheck
    result: IssuedResult | None
    exact: bool  # byte for byte the signed file the portal issued
    findings: list[Finding] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return all(finding.ok for finding in self.findings)

    @property
    def headline(self) -> str:
        if self.valid:
            return _("Văn bản hợp lệ: đúng kết quả do %(agency)s ký số ban hành.") % {
                "agency": self.result.dossier.agency.name
            }
        return next(finding.text for finding in self.findings if not finding.ok)


def _signature_findings(check: SignatureCheck) -> list[Finding]:
    if not check.readable:
        return [Finding(False, "unreadable", _("Tệp không đọc được như một văn bản PDF: có thể tệp đã bị hỏng."))]
    if not check.signed:
        return [Finding(False, "unsigned", _("Văn bản không có chữ ký số."))]
    findings = []
    if check.intact and check.valid:
        findings.append(Finding(True, "intact", _("Nội dung văn bản không bị thay đổi từ khi ký.")))
    else:
        findings.append(
            Finding(False, "altered", _("Nội dung văn bản đã bị thay đổi sau khi ký: chữ ký số không còn hợp lệ."))
        )
    if check.trusted:
        findings.append(
            Finding(True, "trusted", _("Chứng thư số của người ký do tổ chức được Cổng tin cậy cấp và còn hiệu lực."))
        )
    else:
        findings.append(
            Finding(
                False,
                "untrusted",
                _(
                    "Chữ ký số dùng chứng thư số không được Cổng tin cậy (không rõ nguồn gốc, hết hạn hoặc không "
                    "phải của cơ quan nhà nước)."
                ),
            )
        )
    if not check.whole_file:
        findings.append(Finding(False, "appended", _("Văn bản đã bị thêm nội dung sau khi ký.")))
    return findings


def _result_findings(result: IssuedResult | None, *, exact: bool) -> list[Finding]:
    if result is None:
        return [Finding(False, "not_issued", _("Văn bản không phải kết quả do Cổng Dịch vụ công phát hành."))]
    findings = []
    if exact:
        findings.append(Finding(True, "exact", _("Tệp trùng khớp từng byte với tệp kết quả đã ban hành (SHA-256).")))
    else:
        findings.append(Finding(False, "not_exact", _("Tệp khác với tệp kết quả đã ban hành (mã SHA-256 không khớp).")))
    if result.status == ResultStatus.REVOKED:
        findings.append(
            Finding(
                False,
                "revoked",
                _("Kết quả này đã bị thu hồi lúc %(at)s. Lý do: %(reason)s")
                % {"at": short_datetime(result.ended_at), "reason": result.end_reason},
            )
        )
    elif result.status == ResultStatus.REPLACED:
        findings.append(
            Finding(
                False,
                "replaced",
                _("Kết quả này đã được thay thế bằng kết quả ban hành lúc %(at)s. Lý do: %(reason)s")
                % {"at": short_datetime(result.replaced_by.issued_at), "reason": result.end_reason},
            )
        )
    else:
        findings.append(Finding(True, "in_force", _("Kết quả đang có hiệu lực (không bị thu hồi, thay thế).")))
    return findings


def _published() -> QuerySet[IssuedResult]:
    return IssuedResult.objects.filter(status__in=PUBLISHED).select_related(
        "dossier__procedure", "dossier__agency", "replaced_by"
    )


def _result_named(field_name: str) -> IssuedResult | None:
    if not field_name.startswith(FIELD_PREFIX):
        return None
    try:
        code = uuid.UUID(field_name.removeprefix(FIELD_PREFIX))
    except ValueError:  # not a UUID: not one of ours
        return None
    return _published().filter(verification_code=code).first()


def verify_pdf(data: bytes) -> Verification:
    """What a PDF someone uploads is: signed and unchanged (pyHanko), one of the portal's issued results, in force."""
    check = check_pdf_signature(data)
    digest = hashlib.sha256(data).hexdigest()
    result = _published().filter(sha256=digest).first()
    exact = result is not None
    if result is None and check.field_name:
        result = _result_named(check.field_name)
    return Verification(
        check=check,
        result=result,
        exact=exact,
        findings=[*_signature_findings(check), *_result_findings(result, exact=exact)],
    )


def verify_result_code(*, code) -> Verification:
    """The result a QR code names, with pyHanko's check of its stored signed file; 404 for an unknown code."""
    try:
        result = _published().get(verification_code=code)
    except (IssuedResult.DoesNotExist, ValueError):
        raise Http404 from None
    with result.signed_file.open("rb") as signed:
        data = signed.read()
    check = check_pdf_signature(data)
    exact = hashlib.sha256(data).hexdigest() == result.sha256
    return Verification(
        check=check,
        result=result,
        exact=exact,
        findings=[*_signature_findings(check), *_result_findings(result, exact=exact)],
    )


# --- the document wallet ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WalletItem:
    """One file of the applicant's wallet: an electronic result ("result") or a document it uploaded ("document").
    `ref` names it in forms ("result-12", "document-40")."""

    kind: str
    pk: int
    name: str
    file: FieldFile
    size: int
    sha256: str
    created_at: datetime
    dossier: Dossier
    label: str  # the result's procedure or the component the document answered
    file_type: str | None  # as sniffed when it was stored; checked again from the content when it is reused

    @property
    def ref(self) -> str:
        return f"{self.kind}-{self.pk}"

    @property
    def is_result(self) -> bool:
        return self.kind == "result"


def _from_result(result: IssuedResult) -> WalletItem:
    return WalletItem(
        kind="result",
        pk=result.pk,
        name=_("Kết quả %(code)s.pdf") % {"code": result.dossier.code},
        file=result.signed_file,
        size=result.size or 0,
        sha256=result.sha256,
        created_at=result.issued_at,
        dossier=result.dossier,
        label=result.dossier.procedure.name,
        file_type=FileType.PDF,
    )


def _from_document(document: DossierDocument) -> WalletItem:
    component = document.required_document
    return WalletItem(
        kind="document",
        pk=document.pk,
        name=document.original_name,
        file=document.file,
        size=document.size,
        sha256=document.sha256,
        created_at=document.created_at,
        dossier=document.dossier,
        label=component.name if component else DocumentKind(document.kind).label,
        file_type=FILE_TYPE_BY_MIME.get(document.content_type),
    )


def _wallet_results(user) -> QuerySet[IssuedResult]:
    return IssuedResult.objects.filter(dossier__applicant_id=user.pk, status=ResultStatus.ISSUED).select_related(
        "dossier__procedure"
    )


def _wallet_documents(user) -> QuerySet[DossierDocument]:
    # Files of submitted dossiers, uploaded by the applicant itself (not a copy taken from the wallet again).
    return (
        DossierDocument.objects.filter(
            dossier__applicant_id=user.pk,
            kind__in=[DocumentKind.APPLICATION, DocumentKind.SUPPLEMENT],
            reused_document__isnull=True,
            reused_result__isnull=True,
        )
        .exclude(dossier__status=DossierStatus.DRAFT)
        .select_related("dossier__procedure", "required_document")
    )


def wallet_items_for(*, user) -> list[WalletItem]:
    """The applicant's wallet (two queries): its electronic results in force, newest first, then the files it
    uploaded to its submitted dossiers, newest first, each content once (by SHA-256)."""
    items = [_from_result(result) for result in _wallet_results(user).order_by("-issued_at", "-id")]
    seen = {item.sha256 for item in items}
    for document in _wallet_documents(user).order_by("-created_at", "-id"):
        if document.sha256 not in seen:
            seen.add(document.sha256)
            items.append(_from_document(document))
    return items


def wallet_item_get(*, user, ref: str) -> WalletItem:
    """One item of the user's own wallet by its `ref`; 404 for anything else (someone else's, a revoked result, a
    draft's file, a malformed ref)."""
    kind, _sep, pk = (ref or "").partition("-")
    try:
        if kind == "result":
            return _from_result(_wallet_results(user).get(pk=int(pk)))
        if kind == "document":
            return _from_document(_wallet_documents(user).get(pk=int(pk)))
    except (ValueError, IssuedResult.DoesNotExist, DossierDocument.DoesNotExist):
        pass
    raise Http404


def read_pdf_for_verification(upload) -> bytes:
    """The bytes of a PDF someone asks to verify: refused (a coded ValidationError) when it is empty, larger than
    `RESULT_VERIFY_MAX_BYTES` or not a PDF by its content. Page and API say the same."""
    limit = settings.RESULT_VERIFY_MAX_BYTES
    if upload is None or not upload.size:
        raise ValidationError(_("Hãy chọn tệp PDF cần xác thực."), code=ErrorCode.INVALID)
    if upload.size > limit:
        raise ValidationError(
            _("Tệp lớn hơn %(mb)s MB: không phải một văn bản kết quả do Cổng phát hành.") % {"mb": limit // MB},
            code=ErrorCode.FILE_TOO_LARGE,
        )
    if sniff_file_type(upload) != FileType.PDF:
        raise ValidationError(
            _("Tệp “%(name)s” không phải văn bản PDF: chỉ xác thực được kết quả điện tử dạng PDF.")
            % {"name": upload.name},
            code=ErrorCode.NOT_A_PDF,
        )
    upload.seek(0)
    return upload.read()
