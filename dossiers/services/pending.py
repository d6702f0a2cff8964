"""The files of a refused application request, kept for the next request of the same form (`PendingUpload`).

A form that comes back with an error in another field keeps the files that passed their check: the applicant sees
them as chosen and does not pick them again. They belong to the applicant and the form's token only; the next
request of that form stores them like fresh uploads (the volume limits then hold for all of them at once).
"""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from ..models import PendingUpload
from ..uploads import CheckedUpload
from .core import delete_file_on_commit

# Forms of one applicant whose files may be kept at once (a second browser tab): the token is the client's choice,
# so a cap per form alone would let one account fill the storage with new tokens until the hourly job.
KEPT_FORMS_PER_APPLICANT = 2


@transaction.atomic
def pending_uploads_keep(*, applicant, client_token, files: list[tuple]) -> list[PendingUpload]:
    """Keep the checked uploads `[(component, CheckedUpload)]` of a refused request under the form's token. A form
    keeps at most `settings.DOSSIER_REQUEST_MAX_FILES` files (what one request may bring), an applicant at most
    `KEPT_FORMS_PER_APPLICANT` forms' worth: the rest are not kept (the applicant chooses them again)."""
    # The applicant's row serialises its concurrent refused requests, so two cannot both see room for the same files.
    get_user_model().objects.select_for_update().filter(pk=applicant.pk).first()
    counts = PendingUpload.objects.filter(applicant=applicant).aggregate(
        by_applicant=Count("id"), for_form=Count("id", filter=Q(client_token=client_token))
    )
    per_form = settings.DOSSIER_REQUEST_MAX_FILES
    room = max(min(per_form - counts["for_form"], KEPT_FORMS_PER_APPLICANT * per_form - counts["by_applicant"]), 0)
    kept = []
    for component, upload in files[:room]:
        pending = PendingUpload(
            client_token=client_token,
            applicant=applicant,
            required_document=component,
            original_name=upload.name[:255],
            file_type=upload.file_type,
            size=upload.size,
            sha256=upload.sha256,
        )
        pending.file.save(upload.sha256[:16], upload.file, save=False)
        try:
            pending.save()
        except Exception:
            pending.file.storage.delete(pending.file.name)
            raise
        kept.append(pending)
    return kept


def pending_as_upload(pending: PendingUpload) -> CheckedUpload:
    """A kept file as the checked upload it was: stored again without being read for a check."""
    return CheckedUpload(
        file=File(pending.file.open("rb"), name=pending.original_name),
        file_type=pending.file_type,
        size=pending.size,
        sha256=pending.sha256,
    )


def pending_uploads_consume(pending: list[PendingUpload]) -> None:
    """Delete kept files now stored on the dossier; their own copies go once the transaction commits."""
    for item in pending:
        item.file.close()
        delete_file_on_commit(item.file.storage, item.file.name)
    PendingUpload.objects.filter(pk__in=[item.pk for item in pending]).delete()


@transaction.atomic
def pending_upload_discard(*, applicant, client_token, pk) -> None:
    """The applicant takes a kept file off its form; a file of another form or applicant is not found."""
    pending = PendingUpload.objects.filter(applicant=applicant, client_token=client_token, pk=pk).first()
    if pending is None:
        raise ValidationError(_("Không tìm thấy tệp đã chọn cần bỏ."))
    pending_uploads_consume([pending])


@transaction.atomic
def pending_uploads_discard_stale(*, before: datetime) -> int:
    """Delete the kept files of forms never sent again (the beat job); returns how many."""
    stale = list(PendingUpload.objects.filter(created_at__lt=before).order_by("id")[:1000])
    pending_uploads_consume(stale)
    return len(stale)
