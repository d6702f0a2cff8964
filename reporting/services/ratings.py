"""The applicant's satisfaction rating, once per dossier after the result was handed back (docs/decisions.md,
"Satisfaction ratings"). The caller has already established that the rater is the applicant: signed in as the
dossier's applicant, or holding its code and second factor at the kiosk; an officer never rates."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from portal.api_errors import Refusal

from ..constants import RatingSource
from ..models import Rating


class RatingRefused(Refusal):
    """The dossier cannot be rated (not handed back yet, or rated already)."""


def dossier_can_be_rated(dossier: Dossier) -> bool:
    return dossier.status == DossierStatus.RETURNED


def rating_submit(*, dossier: Dossier, level: int, comment: str, source: str) -> Rating:
    """Record the rating of `dossier`; refused before the hand-back and for a second rating (the unique dossier
    column decides between two at once)."""
    if not dossier_can_be_rated(dossier):
        raise RatingRefused(_("Hồ sơ chỉ được đánh giá sau khi đã trả kết quả."), "rating_not_returned")
    try:
        with transaction.atomic():
            return Rating.objects.create(dossier=dossier, level=level, comment=comment.strip(), source=source)
    except IntegrityError as error:
        raise RatingRefused(
            _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ đánh giá một lần."), "rating_exists"
        ) from error


def rating_submit_at_kiosk(*, dossier_code: str, level: int, comment: str) -> Rating:
    """The kiosk's rating: `dossier_code` is one the public lookup has just found with its second factor."""
    return rating_submit(
        dossier=Dossier.objects.get(code=dossier_code), level=level, comment=comment, source=RatingSource.KIOSK
    )


def rating_exists(*, dossier: Dossier) -> bool:
    return Rating.objects.filter(dossier=dossier).exists()
