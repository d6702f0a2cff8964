"""Checks on uploaded files: type from the content (never the name), size, and the hash kept.

Each file is read once on its way to storage. `check_upload` sniffs its type, checks its size and hashes
it, and returns a `CheckedUpload`: the file with what the check learnt. Whoever checks first (the form
field of a page, or the service for the API) hands that on; a service given a checked upload reads
nothing again and only holds the type it carries against the types it accepts, and
`services.core.store_file` takes nothing but a checked upload. Every entry point therefore refuses a bad
file with the same message, before anything is written.

The volume of a request's files is checked here too, once all of them are checked and before any is written
(`check_upload_volume`, which `services.core.store_files` runs): how many files and how many megabytes one
request brings, how many for one component, what the dossier then keeps in all, and what its applicant has
uploaded to all its dossiers (its quota). The limits are settings (config/settings/base.py).
"""

import hashlib
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models import Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from portal.files import MIME_BY_FILE_TYPE, sniff_file_type
from procedures.constants import FileType

from .constants import DocumentKind
from .error_codes import ErrorCode
from .models import Dossier, DossierDocument

# What a file that answers no component (a supplement, a result document) may be.
FREE_FILE_TYPES = [FileType.PDF, FileType.JPEG, FileType.PNG]


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed `check_upload`, with its type (from the content), size and SHA-256."""

    file: File
    file_type: str
    size: int
    sha256: str

    @property
    def name(self) -> str:
        return self.file.name

    @property
    def content_type(self) -> str:
        return MIME_BY_FILE_TYPE[self.file_type]


def check_upload(upload, *, accepted_types: list[str], label: str) -> CheckedUpload:
    """Validate one upload for a dossier component (or a free file); the message names the file and
    `label`. A `CheckedUpload` is not read again: only its type is held against `accepted_types`."""
    if isinstance(upload, CheckedUpload):
        _check_type(upload.name, upload.file_type, accepted_types=accepted_types, label=label)
        return upload
    name = upload.name
    limit = settings.DOSSIER_UPLOAD_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(_("Tệp “%(name)s” (%(label)s) rỗng.") % {"name": name, "label": label})
    if upload.size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” (%(label)s) lớn hơn %(mb)s MB cho phép.")
            % {"name": name, "label": label, "mb": limit // (1024 * 1024)}
        )
    file_type = sniff_file_type(upload)
    _check_type(name, file_type, accepted_types=accepted_types, label=label)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(file=upload, file_type=file_type, size=upload.size, sha256=digest.hexdigest())


def _check_type(name: str, file_type: str | None, *, accepted_types: list[str], label: str) -> None:
    if file_type not in accepted_types:
        allowed = ", ".join(t.upper() for t in accepted_types)
        raise ValidationError(
            _("Tệp “%(name)s” (%(label)s) không đúng định dạng: nội dung tệp không phải %(allowed)s.")
            % {"name": name, "label": label, "allowed": allowed}
        )


# The files a dossier's applicant side brings, which its total and the applicant's quota count (a result document is
# the agency's own and is bounded by the size of one file).
BROUGHT_KINDS = [DocumentKind.APPLICATION, DocumentKind.SUPPLEMENT]
MB = 1024 * 1024


def check_upload_volume(*, dossier: Dossier, kind: str, files: list[tuple[object, CheckedUpload]]) -> None:
    """Refuse the files of one request, `[(component or None, checked upload)]` to be stored on `dossier` as
    `kind`, when they pass a limit: files per request and per component, megabytes per request, what the dossier
    keeps, and what its applicant has uploaded to all its dossiers. Each refusal is a `ValidationError` with a
    code (the API answers 400 `{"code", "detail"}`, a page shows the message on its form).

    The caller holds the dossier's row lock, so the dossier's total is exact; two requests of one applicant on two
    dossiers at the same moment may together pass its quota by at most one request's megabytes."""
    if not files:
        return
    count = len(files)
    if count > settings.DOSSIER_REQUEST_MAX_FILES:
        raise ValidationError(
            _("Mỗi lần gửi chỉ được tải lên tối đa %(limit)s tệp; lần này có %(count)s tệp.")
            % {"limit": settings.DOSSIER_REQUEST_MAX_FILES, "count": count},
            code=ErrorCode.TOO_MANY_FILES,
        )
    for component, per_component in Counter(component for component, _upload in files).items():
        if per_component > settings.DOSSIER_COMPONENT_MAX_FILES:
            label = component.name if component is not None else _("Hồ sơ bổ sung")
            raise ValidationError(
                _("Mỗi lần chỉ tải lên tối đa %(limit)s tệp cho một mục; “%(label)s” có %(count)s tệp.")
                % {"limit": settings.DOSSIER_COMPONENT_MAX_FILES, "label": label, "count": per_component},
                code=ErrorCode.TOO_MANY_FILES,
            )
    size = sum(upload.size for _component, upload in files)
    if size > settings.DOSSIER_REQUEST_MAX_BYTES:
        raise ValidationError(
            _(
                "Các tệp gửi một lần được tối đa %(limit)s MB; các tệp đã chọn nặng %(size)s MB. Hãy gửi bớt tệp "
                "hoặc giảm dung lượng (ví dụ quét ở độ phân giải thấp hơn)."
            )
            % {"limit": settings.DOSSIER_REQUEST_MAX_BYTES // MB, "size": _mb(size)},
            code=ErrorCode.REQUEST_TOO_LARGE,
        )
    if kind not in BROUGHT_KINDS:
        return
    kept = _brought_bytes(dossier=dossier)
    if kept + size > settings.DOSSIER_TOTAL_MAX_BYTES:
        raise ValidationError(
            _("Một hồ sơ được lưu tối đa %(limit)s MB tệp; hồ sơ đã có %(kept)s MB, các tệp mới nặng %(size)s MB.")
            % {"limit": settings.DOSSIER_TOTAL_MAX_BYTES // MB, "kept": _mb(kept), "size": _mb(size)},
            code=ErrorCode.DOSSIER_STORAGE_FULL,
        )
    if dossier.applicant_id is None:  # a paper dossier digitised by an officer: no account to hold a quota
        return
    used = _brought_bytes(dossier__applicant_id=dossier.applicant_id)
    if used + size > settings.USER_STORAGE_QUOTA_BYTES:
        raise ValidationError(
            _(
                "Mỗi tài khoản được lưu tối đa %(limit)s MB tệp trên Cổng; các hồ sơ của tài khoản đã có %(used)s MB, "
                "các tệp mới nặng %(size)s MB. Hãy xoá tệp ở những bản nháp không dùng đến, hoặc liên hệ Bộ phận "
                "tiếp nhận và trả kết quả."
            )
            % {"limit": settings.USER_STORAGE_QUOTA_BYTES // MB, "used": _mb(used), "size": _mb(size)},
            code=ErrorCode.STORAGE_QUOTA_EXCEEDED,
        )


def _brought_bytes(**lookup) -> int:
    """The bytes of the brought files of the dossiers that `lookup` names (one dossier, or an applicant's)."""
    documents = DossierDocument.objects.filter(kind__in=BROUGHT_KINDS, **lookup)
    return documents.aggregate(total=Sum("size"))["total"] or 0


def _mb(size: int) -> str:
    """Megabytes with one decimal, in the reader's notation (a limit is shown whole: `settings // MB`)."""
    return number_format(round(size / MB, 1), decimal_pos=1)
