from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import TimeStampedModel

from .constants import (
    AgencyLevel,
    CalendarDayKind,
    Channel,
    CommuneKind,
    DeliveryMethod,
    FeeTiming,
    FieldType,
    FileType,
    OnlineLevel,
    TimeUnit,
)
from .validators import (
    validate_agency_code,
    validate_commune_code,
    validate_document_template,
    validate_procedure_code,
    validate_province_code,
)


class Province(TimeStampedModel):
    """A province or centrally governed city (34 since 1 July 2025), by its national administrative code."""

    code = models.CharField(_("mã tỉnh"), max_length=2, unique=True, validators=[validate_province_code])
    name = models.CharField(_("tên tỉnh, thành phố"), max_length=100)

    class Meta:
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Commune(TimeStampedModel):
    """A ward, commune or special zone of a province: the units a postal address names (no district since the
    2025 reorganisation). Administrators keep the list in the admin; an inactive unit is no longer offered."""

    province = models.ForeignKey(
        Province, verbose_name=_("tỉnh, thành phố"), on_delete=models.PROTECT, related_name="communes"
    )
    code = models.CharField(_("mã đơn vị hành chính"), max_length=5, unique=True, validators=[validate_commune_code])
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=20, choices=CommuneKind.choices)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("xã, phường")
        verbose_name_plural = _("xã, phường, đặc khu")
        ordering = ["province__name", "name"]
        constraints = [models.UniqueConstraint(fields=["province", "kind", "name"], name="commune_unique_name")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

    @property
    def full_name(self) -> str:
        return f"{self}, {self.province}"


class PostalAddress(TimeStampedModel):
    """Where the post delivers to or collects from: the receiver, the phone the postal worker calls, the house
    number and street, and the commune (which gives the province). Built and checked by
    `procedures.addresses.postal_address_clean`; dossiers (delivery by post) and postal (pickup orders) point to
    it."""

    commune = models.ForeignKey(Commune, verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="+")
    street = models.CharField(_("số nhà, đường, thôn, tổ"), max_length=200)
    receiver_name = models.CharField(_("người nhận"), max_length=100)
    receiver_phone = models.CharField(_("điện thoại người nhận"), max_length=20)

    class Meta:
        verbose_name = _("địa chỉ bưu chính")
        verbose_name_plural = _("địa chỉ bưu chính")

    def __str__(self):
        return self.one_line

    @property
    def one_line(self) -> str:
        """The address as written on an envelope: "Số 5 Lê Lợi, phường Trần Hưng Đạo, Thái Bình"."""
        return f"{self.street}, {self.commune.full_name}"


class Agency(TimeStampedModel):
    code = models.CharField(_("mã định danh"), max_length=20, unique=True, validators=[validate_agency_code])
    name = models.CharField(_("tên cơ quan"), max_length=255)
    level = models.CharField(_("cấp"), max_length=20, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    # Where the one-stop desk sends parcels from: the carrier prices postage from it.
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("xã, phường nơi đặt trụ sở"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    # Four eyes: a proposal is approved by someone other than the officer who made it (dossiers/workflow.py).
    four_eyes_approval = models.BooleanField(
        _("người phê duyệt phải khác người trình"),
        default=True,
        help_text=_("Lãnh đạo không tự phê duyệt đề xuất do chính mình trình."),
    )

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Field(TimeStampedModel):
    """A field of administrative procedures ("lĩnh vực")."""

    code = models.SlugField(_("mã lĩnh vực"), max_length=50, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self):
        return self.name


def validate_applicant_fields(value) -> None:
    """The applicant data form: a list of {name, label, type, required, choices, help}."""
    if not isinstance(value, list):
        raise ValidationError(_("Danh sách trường thông tin phải là một mảng JSON."))
    names = set()
    for position, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise ValidationError(_("Trường thứ %(n)s phải là một đối tượng JSON."), params={"n": position})
        name, label, kind = item.get("name"), item.get("label"), item.get("type")
        if not name or not isinstance(name, str) or not name.isidentifier():
            raise ValidationError(_("Trường thứ %(n)s cần 'name' là định danh (chữ, số, _)."), params={"n": position})
        if name in names:
            raise ValidationError(_("Tên trường '%(name)s' bị trùng."), params={"name": name})
        names.add(name)
        if not label or not isinstance(label, str):
            raise ValidationError(_("Trường '%(name)s' cần 'label'."), params={"name": name})
        if kind not in FieldType.values:
            raise ValidationError(_("Trường '%(name)s' có loại không hợp lệ."), params={"name": name})
        choices = item.get("choices")
        if kind == FieldType.CHOICE and (not isinstance(choices, list) or not choices):
            raise ValidationError(_("Trường chọn '%(name)s' cần danh sách 'choices'."), params={"name": name})
        if not isinstance(item.get("required", False), bool):
            raise ValidationError(_("'required' của trường '%(name)s' phải là true/false."), params={"name": name})


class ProcedureQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Procedure(TimeStampedModel):
    code = models.CharField(_("mã thủ tục"), max_length=30, unique=True, validators=[validate_procedure_code])
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures")
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan giải quyết"), on_delete=models.PROTECT, related_name="procedures"
    )
    online_level = models.PositiveSmallIntegerField(
        _("mức độ trực tuyến"), choices=OnlineLevel.choices, default=OnlineLevel.PARTIAL
    )
    processing_time = models.PositiveIntegerField(_("thời hạn giải quyết"), validators=[MinValueValidator(1)])
    processing_time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=20, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    cutoff_time = models.TimeField(
        _("giờ tiếp nhận cuối ngày"),
        null=True,
        blank=True,
        help_text=_("Hồ sơ nhận sau giờ này được tính từ ngày làm việc tiếp theo. Bỏ trống: giờ đóng cửa."),
    )
    fee = models.PositiveBigIntegerField(_("phí, lệ phí (đồng)"), default=0)
    fee_notes = models.TextField(_("ghi chú phí, lệ phí"), blank=True)
    fee_timing = models.CharField(
        _("thời điểm nộp phí, lệ phí"),
        max_length=20,
        choices=FeeTiming.choices,
        default=FeeTiming.AFTER_RECEPTION,
        help_text=_("Không áp dụng khi thủ tục không thu phí."),
    )
    fee_refundable = models.BooleanField(
        _("hoàn phí khi từ chối hoặc rút hồ sơ"),
        default=False,
        help_text=_("Phí đã nộp trực tuyến được hoàn qua cổng thanh toán khi hồ sơ bị từ chối hoặc được rút."),
    )
    description = models.TextField(_("trình tự thực hiện"), blank=True)
    applicant_requirements = models.TextField(_("đối tượng, điều kiện thực hiện"), blank=True)
    result_description = models.CharField(_("kết quả thực hiện"), max_length=500, blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    applicant_fields = models.JSONField(
        _("trường thông tin người nộp"),
        default=list,
        blank=True,
        validators=[validate_applicant_fields],
        help_text=_('Ví dụ: [{"name": "ho_ten_con", "label": "Họ tên người con", "type": "text", "required": true}]'),
    )
    accepts_online = models.BooleanField(_("nộp trực tuyến"), default=True)
    accepts_counter = models.BooleanField(_("nộp trực tiếp"), default=True)
    accepts_postal = models.BooleanField(_("nộp qua bưu chính công ích"), default=False)
    delivers_at_counter = models.BooleanField(_("trả kết quả tại quầy"), default=True)
    delivers_online = models.BooleanField(_("trả kết quả trực tuyến"), default=False)
    delivers_by_post = models.BooleanField(_("trả kết quả qua bưu chính"), default=False)
    is_featured = models.BooleanField(_("thủ tục tiêu biểu"), default=False, help_text=_("Hiện ở trang chủ."))
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    # Lower-case text without diacritics, so "giay phep" finds "giấy phép" on any database.
    search_text = models.TextField(editable=False, default="")

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["is_active", "agency"]),
            models.Index(fields=["is_active", "field"]),
            models.Index(fields=["is_active", "online_level"]),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    @property
    def channels(self) -> list[Channel]:
        """The ways a dossier of this procedure may be submitted, in the order pages offer them."""
        offered = [
            (self.accepts_online, Channel.ONLINE),
            (self.accepts_counter, Channel.COUNTER),
            (self.accepts_postal, Channel.POSTAL),
        ]
        return [channel for accepted, channel in offered if accepted]

    @property
    def delivery_methods(self) -> list[DeliveryMethod]:
        """The ways the result may go back, in the order pages offer them (the first is a new draft's)."""
        offered = [
            (self.delivers_at_counter, DeliveryMethod.COUNTER),
            (self.delivers_online, DeliveryMethod.ONLINE),
            (self.delivers_by_post, DeliveryMethod.POSTAL),
        ]
        return [method for delivered, method in offered if delivered]

    def clean(self):
        if not (self.accepts_online or self.accepts_counter or self.accepts_postal):
            raise ValidationError(_("Chọn ít nhất một cách nộp hồ sơ."))
        if not (self.delivers_at_counter or self.delivers_online or self.delivers_by_post):
            raise ValidationError(_("Chọn ít nhất một cách trả kết quả."))
        if self.online_level == OnlineLevel.FULL and not self.accepts_online:
            raise ValidationError(_("Thủ tục trực tuyến toàn trình phải cho phép nộp trực tuyến."))
        if self.online_level == OnlineLevel.NOT_ONLINE and self.accepts_online:
            raise ValidationError(_("Thủ tục không trực tuyến không thể cho phép nộp trực tuyến."))


def document_template_path(instance, filename):
    return f"procedure-templates/{instance.procedure_id}/{filename}"


class RequiredDocument(TimeStampedModel):
    """A component of the dossier ("thành phần hồ sơ")."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="documents"
    )
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    description = models.TextField(_("ghi chú"), blank=True)
    is_required = models.BooleanField(_("bắt buộc"), default=True)
    original_copies = models.PositiveSmallIntegerField(_("số bản chính"), default=1)
    copy_copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    template = models.FileField(
        _("mẫu đơn, tờ khai"),
        upload_to=document_template_path,
        blank=True,
        validators=[validate_document_template],
        help_text=_("PDF, Word (DOCX) hoặc Excel (XLSX)."),
    )
    accepted_file_types = models.JSONField(
        _("định dạng tệp chấp nhận"), default=list, blank=True, help_text=_('Ví dụ: ["pdf", "jpg"]')
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure", "position", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        unknown = set(self.accepted_file_types or []) - set(FileType.values)
        if unknown:
            raise ValidationError(
                {"accepted_file_types": _("Định dạng không hỗ trợ: %(types)s.") % {"types": ", ".join(sorted(unknown))}}
            )

    @property
    def accepted_types_or_default(self) -> list[str]:
        return self.accepted_file_types or [FileType.PDF, FileType.JPEG, FileType.PNG]


class CalendarDay(TimeStampedModel):
    """A day an administrator adds to the working calendar: an extra day off or a make-up working day."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=CalendarDayKind.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("lịch làm việc: ngày nghỉ, ngày làm bù")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}"
