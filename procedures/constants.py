from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DISTRICT = "district", _("Cấp huyện (trước 01/7/2025)")
    COMMUNE = "commune", _("Cấp xã")
    UNIT = "unit", _("Đơn vị trực thuộc")


class OnlineLevel(models.IntegerChoices):
    """Stored as the national portal stores it (Decree 42/2022)."""

    NOT_ONLINE = 2, _("Không trực tuyến")
    PARTIAL = 3, _("Trực tuyến một phần")
    FULL = 4, _("Trực tuyến toàn trình")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày (trừ ngày lễ)")
    WORKING_HOURS = "working_hours", _("giờ làm việc")


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc bù")


class FieldType(models.TextChoices):
    """Types of the applicant data fields a procedure asks for."""

    TEXT = "text", _("Văn bản ngắn")
    TEXTAREA = "textarea", _("Văn bản dài")
    NUMBER = "number", _("Số")
    DATE = "date", _("Ngày")
    EMAIL = "email", _("Thư điện tử")
    PHONE = "phone", _("Số điện thoại")
    CITIZEN_ID = "citizen_id", _("Số CCCD")
    CHOICE = "choice", _("Chọn một")


class FileType(models.TextChoices):
    PDF = "pdf", "PDF"
    JPEG = "jpg", "JPEG"
    PNG = "png", "PNG"
    DOCX = "docx", "Word (DOCX)"
    XLSX = "xlsx", "Excel (XLSX)"


class Channel(models.IntegerChoices):
    """How a dossier is submitted (what a procedure accepts), with the national codes."""

    COUNTER = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POSTAL = 3, _("Bưu chính công ích")


class DeliveryMethod(models.TextChoices):
    """How the result goes back to the applicant (what a procedure offers)."""

    COUNTER = "counter", _("Nhận tại Bộ phận một cửa")
    ONLINE = "online", _("Nhận trực tuyến")
    POSTAL = "postal", _("Nhận qua bưu chính công ích")


class FeeTiming(models.TextChoices):
    """When the applicant pays a procedure's fee (DOMAIN.md "Fees"): with the online submission (full-online
    services), once the office asks for it after reception (status 6), or when the result is handed back."""

    SUBMISSION = "submission", _("Khi nộp hồ sơ")
    AFTER_RECEPTION = "after_reception", _("Sau khi tiếp nhận, khi cơ quan yêu cầu")
    HAND_BACK = "hand_back", _("Khi nhận kết quả")


class CommuneKind(models.TextChoices):
    """The units under a province since the two-tier local government of 1 July 2025 (no district level)."""

    WARD = "ward", _("Phường")
    COMMUNE = "commune", _("Xã")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")
