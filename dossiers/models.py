import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.constants import ApplicantType
from portal.models import TimeStampedModel
from procedures.constants import TimeUnit

from .constants import (
    CLOCK_RUNNING_STATUSES,
    QUEUE_STATUSES,
    Action,
    Channel,
    DeliveryMethod,
    DocumentKind,
    DossierStatus,
    FeeStatus,
    FeeTiming,
    Outcome,
    PostagePayment,
    PostageStatus,
    ResultStatus,
    Timeliness,
)
from .search import SEARCHED_FIELDS, search_text_for


class Dossier(TimeStampedModel):
    """An application for one procedure, from draft to the result handed back.

    The procedure terms that applied at submission (time, unit, cut-off, fee, and the applicant data
    fields the declared data answers) are copied here so that editing the procedure never changes a
    dossier in flight.
    """

    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True, null=True, blank=True)
    client_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    procedure = models.ForeignKey(
        "procedures.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    agency = models.ForeignKey(
        "procedures.Agency", verbose_name=_("cơ quan tiếp nhận"), on_delete=models.PROTECT, related_name="dossiers"
    )
    status = models.CharField(
        _("trạng thái"), max_length=30, choices=DossierStatus.choices, default=DossierStatus.DRAFT
    )
    channel = models.PositiveSmallIntegerField(_("hình thức nộp"), choices=Channel.choices, default=Channel.ONLINE)

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người nộp"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        null=True,
        blank=True,
    )
    applicant_type = models.PositiveSmallIntegerField(
        _("loại người nộp"), choices=ApplicantType.choices, default=ApplicantType.CITIZEN
    )
    applicant_name = models.CharField(_("họ tên người nộp"), max_length=255)
    applicant_id_number = models.CharField(_("số CCCD / mã số thuế"), max_length=14, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    form_data = models.JSONField(_("thông tin kê khai"), default=dict, blank=True)
    # The procedure's `applicant_fields` at submission: labels, types and choices `form_data` answers.
    applicant_fields = models.JSONField(_("các trường thông tin kê khai"), default=list, blank=True)

    delivery_method = models.CharField(
        _("hình thức nhận kết quả"), max_length=20, choices=DeliveryMethod.choices, default=DeliveryMethod.COUNTER
    )
    # The address on one line, as the envelope shows it: written from `postal_address` (a dossier from before
    # structured addresses keeps the line it was given, without `postal_address`).
    delivery_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=255, blank=True)
    postal_address = models.ForeignKey(
        "procedures.PostalAddress",
        verbose_name=_("địa chỉ nhận kết quả qua bưu chính"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The carrier's quote when the applicant chose the post, and how it is paid (docs/postal.md "Postage").
    postage = models.PositiveBigIntegerField(_("cước bưu chính (đồng)"), default=0)
    postage_payment = models.CharField(_("cách trả cước"), max_length=10, choices=PostagePayment.choices, blank=True)
    postage_status = models.CharField(
        _("tình trạng trả cước"), max_length=10, choices=PostageStatus.choices, blank=True
    )

    # Terms of the procedure at submission.
    processing_time = models.PositiveIntegerField(_("thời hạn giải quyết"), default=0)
    processing_time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=20, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    cutoff_time = models.TimeField(_("giờ tiếp nhận cuối ngày"), null=True, blank=True)
    fee = models.PositiveBigIntegerField(_("phí, lệ phí (đồng)"), default=0)
    fee_timing = models.CharField(
        _("thời điểm nộp phí"), max_length=20, choices=FeeTiming.choices, default=FeeTiming.AFTER_RECEPTION
    )
    fee_refundable = models.BooleanField(_("hoàn phí khi từ chối hoặc rút"), default=False)
    # Kept by the services that payments calls (dossiers never imports payments): paid or not, for the
    # workflow's guards, the queues' column and filter.
    fee_status = models.CharField(_("tình trạng nộp phí"), max_length=10, choices=FeeStatus.choices, blank=True)

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chuyên viên xử lý"),
        on_delete=models.PROTECT,
        related_name="assigned_dossiers",
        null=True,
        blank=True,
    )
    proposed_outcome = models.CharField(_("đề xuất"), max_length=20, choices=Outcome.choices, blank=True)
    # Who made the proposal awaiting approval: with the agency's four eyes, someone else approves it.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trình"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution_note = models.TextField(_("ý kiến giải quyết"), blank=True)

    # The clock (see dossiers/deadlines.py).
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("hẹn trả ban đầu"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng tính thời hạn từ"), null=True, blank=True)
    resume_status = models.CharField(max_length=30, choices=DossierStatus.choices, blank=True)
    # Requests made while the clock runs (after receipt): more than one counts the dossier late. A request
    # before receipt is limited by `reception_supplement_requested` but does not count here.
    supplement_count = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung khi đang tính thời hạn"), default=0)
    reception_supplement_requested = models.BooleanField(default=False)
    apologized_at = models.DateTimeField(_("xin lỗi, hẹn lại lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc xử lý lúc"), null=True, blank=True)
    timeliness = models.CharField(_("tiến độ"), max_length=10, choices=Timeliness.choices, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    due_soon_alerted_at = models.DateTimeField(null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)
    # The moment after which the dossier is at risk of being late while its clock runs (dossiers/deadlines/steps.py,
    # `at_risk_after`); null otherwise. Set by every transition that moves the status, receipt or due date.
    at_risk_after = models.DateTimeField(null=True, blank=True, editable=False)
    postal_tracking_number = models.CharField(_("số hiệu bưu gửi"), max_length=40, blank=True)
    # What the officer's search reads: code, CCCD or tax code, phone, name, folded (dossiers/search.py).
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # Officer queues: an agency's dossiers in a status, oldest or soonest due first.
            models.Index(fields=["agency", "status", "submitted_at"], name="dossier_queue_submitted"),
            models.Index(fields=["agency", "status", "due_at"], name="dossier_queue_due"),
            models.Index(fields=["assignee", "status", "due_at"], name="dossier_assignee_due"),
            models.Index(fields=["applicant", "-created_at"], name="dossier_applicant"),
            # The results queue: an agency's dossiers with a result to hand back, oldest result first.
            models.Index(fields=["agency", "status", "finished_at"], name="dossier_queue_finished"),
            # The deadline watch: dossiers whose clock runs, by due date (a small part of the table).
            models.Index(
                fields=["due_at", "id"],
                condition=Q(status__in=sorted(CLOCK_RUNNING_STATUSES)),
                name="dossier_clock_running_due",
            ),
            # The queues' counts and the queues by due date: an agency's dossiers in flight only, with the assignee
            # for the "to process" queue and the moment of risk for the risk queue, so that every count is an
            # index-only scan of the in-flight entries (the planner otherwise ANDs the assignee index with all of the
            # agency's entries: docs/performance.md).
            models.Index(
                fields=["agency", "status", "due_at"],
                include=["assignee", "at_risk_after"],
                condition=Q(status__in=QUEUE_STATUSES),
                name="dossier_in_flight",
            ),
            # The risk queue's page: an agency's dossiers whose clock runs (the only ones with a moment of risk), by
            # due date from now; those past their moment come first (little time left), so the first page reads a
            # few dozen entries (the moment as a key instead: all the agency's at risk, sorted, 50× slower at 1M).
            models.Index(
                fields=["agency", "due_at"],
                include=["at_risk_after"],
                condition=Q(at_risk_after__isnull=False),
                name="dossier_at_risk",
            ),
            models.Index(fields=["agency", "finished_at"], name="dossier_finished"),
            models.Index(fields=["procedure", "finished_at"], name="dossier_procedure_finished"),
            # The agency dashboard's late dossiers by officer: an agency's late ones finished in a period, read from
            # the index alone (6 % of the finished dossiers; the agency's whole period otherwise: docs/performance.md).
            models.Index(
                fields=["agency", "finished_at"],
                include=["assignee", "received_at"],
                condition=Q(timeliness=Timeliness.LATE),
                name="dossier_late_finished",
            ),
            # The statistics' recomputes: the first receipt, where the working-day ordinals start (MIN without a scan).
            models.Index(fields=["received_at"], name="dossier_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=DossierStatus.DRAFT) | Q(code__isnull=False), name="dossier_code_after_draft"
            ),
        ]

    def __str__(self):
        return self.code or f"#{self.pk} ({self.get_status_display()})"

    def save(self, *args, update_fields=None, **kwargs):
        # The search line follows the values it holds, whichever service saves them.
        if update_fields is None or SEARCHED_FIELDS & set(update_fields):
            self.search_text = search_text_for(
                code=self.code, name=self.applicant_name, id_number=self.applicant_id_number, phone=self.applicant_phone
            )
            if update_fields is not None:
                update_fields = {*update_fields, "search_text"}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == DossierStatus.DRAFT


class DossierCodeSequence(models.Model):
    """The last number given to an agency's dossiers on one day; rows are locked to hand out the next."""

    agency = models.ForeignKey("procedures.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossier_code_sequence_unique")]

    def __str__(self):
        return f"{self.agency_id} {self.day}: {self.last_number}"


def dossier_file_path(instance, filename):
    # Random names: nothing about the applicant or the original name is visible on disk.
    return f"dossiers/{instance.dossier_id}/{uuid.uuid4().hex}"


class DossierDocument(models.Model):
    """A file attached to a dossier. Private: served only through a view that checks access."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey(
        "procedures.RequiredDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=DocumentKind.choices, default=DocumentKind.APPLICATION)
    file = models.FileField(upload_to=dossier_file_path)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Taken from the applicant's document wallet instead of uploaded: the earlier document or the electronic result
    # it reuses (the statistics count reuse of data from these).
    reused_document = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("dùng lại tệp")
    )
    # A supplement's file: the request it answers and the position of the requested item in its `items`.
    supplement_request = models.ForeignKey(
        "SupplementRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    supplement_item = models.PositiveSmallIntegerField(null=True, blank=True)
    reused_result = models.ForeignKey(
        "IssuedResult",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dùng lại kết quả điện tử"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = _("tệp hồ sơ")
        ordering = ["dossier", "kind", "required_document_id", "id"]

    def __str__(self):
        return self.original_name


def pending_file_path(instance, filename):
    return f"pending/{instance.client_token}/{uuid.uuid4().hex}"


class PendingUpload(models.Model):
    """A file an application form brought in a request that was refused (another field was wrong): checked and kept
    under the form's token, so the applicant is not asked to choose it again. The next request of the same form
    stores it as the component's file and deletes this row; `dossiers.tasks.discard_stale_pending_uploads` deletes
    the ones a form never sent again."""

    client_token = models.UUIDField(db_index=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    required_document = models.ForeignKey("procedures.RequiredDocument", on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=pending_file_path)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    file_type = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["required_document_id", "id"]

    def __str__(self):
        return self.original_name


class DossierEvent(models.Model):
    """Append-only history: every transition, who did it, when, from and to which status."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=30, choices=DossierStatus.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=DossierStatus.choices)
    note = models.TextField(blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    # Facts of the change as data, not words in the note: old_due_at/new_due_at (ISO 8601, UTC) when the due date
    # moved, old_assignee_id/new_assignee_id when the assignee changed, postal_tracking_number at a postal
    # hand-back.
    extra_data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["dossier", "created_at"], name="dossier_event_timeline")]

    def __str__(self):
        return f"{self.dossier_id}: {self.action} {self.from_status} -> {self.to_status}"


class SupplementRequest(models.Model):
    """What the office asked the applicant to add; answered when the applicant supplements, cancelled
    when the applicant withdraws the dossier instead. Open: neither answered nor cancelled."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    items = models.JSONField(_("giấy tờ cần bổ sung"), default=list)
    # For each item, the id of the procedure's required document it names, or None for an item the officer wrote.
    item_components = models.JSONField(default=list, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    at_reception = models.BooleanField(default=False)
    requested_at = models.DateTimeField()
    respond_by = models.DateField(_("hạn bổ sung"), null=True, blank=True)
    # When the applicant was reminded that the deadline nears (once per request: dossiers.supplements).
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(_("huỷ lúc (người nộp rút hồ sơ)"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self):
        return f"{self.dossier_id}: {'; '.join(self.items)}"


def result_file_path(instance, filename):
    return f"results/{instance.dossier_id}/{uuid.uuid4().hex}"


class IssuedResult(TimeStampedModel):
    """The result of a dossier as the agency issues it, apart from what the applicant submitted: the unsigned source
    PDF the specialist proposes, and from approval on the PDF the agency signed (PAdES), its SHA-256 and the signing
    certificate. An issued result is never changed: it is revoked, or replaced by a newer one, with a reason.
    Anyone who holds the `verification_code` (the QR code on the signed PDF) may check it on the public page."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="results")
    status = models.CharField(_("tình trạng"), max_length=20, choices=ResultStatus.choices)
    verification_code = models.UUIDField(_("mã xác thực"), default=uuid.uuid4, unique=True, editable=False)

    source_file = models.FileField(_("văn bản chưa ký"), upload_to=result_file_path)
    source_name = models.CharField(_("tên tệp"), max_length=255)
    source_sha256 = models.CharField(max_length=64)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    signed_file = models.FileField(_("văn bản đã ký số"), upload_to=result_file_path, blank=True)
    sha256 = models.CharField(_("SHA-256 của văn bản đã ký"), max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    issued_at = models.DateTimeField(_("ký ban hành lúc"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signer_name = models.CharField(_("người ký"), max_length=255, blank=True)
    certificate_subject = models.CharField(_("chứng thư số"), max_length=500, blank=True)
    certificate_serial = models.CharField(_("số hiệu chứng thư số"), max_length=100, blank=True)

    # Revoked or replaced: when, by whom, why, and by which newer result.
    ended_at = models.DateTimeField(_("thu hồi / thay thế lúc"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.TextField(_("lý do thu hồi / thay thế"), blank=True)
    replaced_by = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces")

    class Meta:
        verbose_name = _("kết quả giải quyết")
        verbose_name_plural = _("kết quả giải quyết")
        ordering = ["dossier", "created_at", "id"]
        indexes = [models.Index(fields=["sha256"], name="issued_result_sha256")]
        constraints = [
            # One draft awaiting approval and one issued result in force per dossier.
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(status=ResultStatus.PROPOSED), name="issued_result_one_proposed"
            ),
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(status=ResultStatus.ISSUED), name="issued_result_one_issued"
            ),
        ]

    def __str__(self):
        return f"{self.dossier_id}: {self.source_name} ({self.get_status_display()})"

    @property
    def is_signed(self) -> bool:
        return bool(self.sha256)


class SigningCredential(TimeStampedModel):
    """Where an agency's signing key is, set by the administrator: a PKCS#12 file on the server and its password.
    An agency without one signs with `<RESULT_SIGNING_PKCS12_DIR>/<agency code>.p12` and the password of the
    environment (dossiers/signing/pkcs12.py)."""

    agency = models.OneToOneField(
        "procedures.Agency", on_delete=models.CASCADE, related_name="signing_credential", verbose_name=_("cơ quan")
    )
    pkcs12_path = models.CharField(_("đường dẫn tệp PKCS#12 trên máy chủ"), max_length=500)
    password = models.CharField(_("mật khẩu tệp PKCS#12"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("chứng thư số ký kết quả")
        verbose_name_plural = _("chứng thư số ký kết quả")

    def __str__(self):
        return f"{self.agency_id}: {self.pkcs12_path}"
