from django.db import models
from django.utils.translation import gettext_lazy as _


class RatingLevel(models.IntegerChoices):
    """The three answers of the satisfaction question (docs/decisions.md, "Satisfaction ratings"), best first."""

    VERY_SATISFIED = 3, _("Rất hài lòng")
    SATISFIED = 2, _("Hài lòng")
    UNSATISFIED = 1, _("Không hài lòng")


class RatingSource(models.TextChoices):
    """Where the applicant rated: its dossier page (signed in) or the kiosk (code and second factor)."""

    DOSSIER_PAGE = "dossier_page", _("Trang hồ sơ của người nộp")
    KIOSK = "kiosk", _("Ki-ốt tra cứu")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    YEAR = "year", _("Năm")
    CUSTOM = "custom", _("Tùy chọn")


# The most a rating's comment may say.
RATING_COMMENT_MAX_LENGTH = 1000
