from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles are Django groups named by these values (created by a data migration)."""

    CITIZEN = "citizen", _("Công dân, doanh nghiệp")
    RECEPTION_OFFICER = "reception_officer", _("Cán bộ tiếp nhận")
    PROCESSING_OFFICER = "processing_officer", _("Chuyên viên xử lý")
    APPROVER = "approver", _("Lãnh đạo phê duyệt")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")


OFFICER_ROLES = frozenset({Role.RECEPTION_OFFICER, Role.PROCESSING_OFFICER, Role.APPROVER, Role.AGENCY_ADMIN})
# The roles that work on dossiers and so may read the agency's dossiers and files. An agency administrator
# manages the catalogue and is not one of them: unless it also holds one of these roles, it sees only its own
# applications.
DOSSIER_OFFICER_ROLES = frozenset({Role.RECEPTION_OFFICER, Role.PROCESSING_OFFICER, Role.APPROVER})


class ApplicantType(models.IntegerChoices):
    """Codes shared with the national portal."""

    CITIZEN = 1, _("Công dân")
    ENTERPRISE = 2, _("Doanh nghiệp")
    STATE_AGENCY = 3, _("Cơ quan nhà nước")
    OTHER = 4, _("Khác")
