from django.db import models
from django.utils.translation import gettext_lazy as _

# What a procedure offers is the catalogue's: the channels and delivery methods a dossier records.
from procedures.constants import Channel as Channel
from procedures.constants import DeliveryMethod as DeliveryMethod
from procedures.constants import FeeTiming as FeeTiming


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Mới đăng ký")
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ phê duyệt")
    PAYMENT_REQUESTED = "payment_requested", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    RESULT_READY = "result_ready", _("Đã xử lý xong")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Không được tiếp nhận, giải quyết")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")


# The status codes the national portal and provincial systems exchange (DOMAIN.md).
NATIONAL_STATUS_CODE = {
    DossierStatus.SUBMITTED: 1,
    DossierStatus.RECEIVED: 2,
    DossierStatus.REFUSED: 3,
    DossierStatus.PROCESSING: 4,
    DossierStatus.AWAITING_APPROVAL: 4,
    DossierStatus.SUPPLEMENT_REQUESTED: 5,
    DossierStatus.PAYMENT_REQUESTED: 6,
    DossierStatus.WITHDRAWN: 7,
    DossierStatus.RESULT_READY: 9,
    DossierStatus.RETURNED: 10,
}

# Statuses that end processing: the dossier is classed early / on time / late when it reaches one.
CLOSING_STATUSES = frozenset({DossierStatus.RESULT_READY, DossierStatus.REFUSED, DossierStatus.WITHDRAWN})
# Statuses in which the statutory clock runs (it is paused while a supplement is awaited).
CLOCK_RUNNING_STATUSES = frozenset({DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.AWAITING_APPROVAL})
# Statuses of the dossiers in the officers' queues: submitted, not closed or not handed back yet. A small part of an
# agency's history (3 % of the dossiers of a year): the queues and their counts read only these, through the partial
# index `dossier_in_flight`, so that their cost does not grow with the finished dossiers.
QUEUE_STATUSES = (
    DossierStatus.SUBMITTED,
    DossierStatus.RECEIVED,
    DossierStatus.SUPPLEMENT_REQUESTED,
    DossierStatus.PAYMENT_REQUESTED,
    DossierStatus.PROCESSING,
    DossierStatus.AWAITING_APPROVAL,
    DossierStatus.RESULT_READY,
)


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class Outcome(models.TextChoices):
    """What a processing officer proposes to the approver."""

    RESULT = "result", _("Giải quyết")
    REFUSAL = "refusal", _("Từ chối giải quyết")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Nộp hồ sơ")
    RECEIVE = "receive", _("Tiếp nhận")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung")
    SUPPLEMENT = "supplement", _("Bổ sung hồ sơ")
    REFUSE = "refuse", _("Từ chối tiếp nhận")
    FORWARD = "forward", _("Chuyển xử lý")
    TAKE = "take", _("Nhận xử lý")
    ASSIGN = "assign", _("Giao, giao lại chuyên viên xử lý")
    PROPOSE = "propose", _("Trình phê duyệt")
    APPROVE = "approve", _("Phê duyệt")
    SEND_BACK = "send_back", _("Trả lại để xử lý lại")
    DELIVER = "deliver", _("Trả kết quả")
    WITHDRAW = "withdraw", _("Rút hồ sơ")
    APOLOGIZE = "apologize", _("Xin lỗi và hẹn lại")
    REQUEST_PAYMENT = "request_payment", _("Yêu cầu nộp phí, lệ phí")
    PAY = "pay", _("Nộp phí, lệ phí")
    REFUND = "refund", _("Hoàn trả phí, lệ phí")
    PAY_POSTAGE = "pay_postage", _("Trả cước bưu chính")
    REVOKE_RESULT = "revoke_result", _("Thu hồi kết quả điện tử")
    REPLACE_RESULT = "replace_result", _("Thay thế kết quả điện tử")


# An assignment's `seen_assignee_id` when the caller does not say whom it saw in charge (services/assignment.py).
ASSIGNEE_NOT_CHECKED = -1


class FeeStatus(models.TextChoices):
    """Where the dossier's fee stands. Payments (the payments app) tell the dossier through its services; the
    workflow reads it: a fee due at submission is paid before reception, one due at hand-back before delivery."""

    NONE = "", _("Không thu phí")
    UNPAID = "unpaid", _("Chưa nộp phí")
    PAID = "paid", _("Đã nộp phí")
    REFUNDED = "refunded", _("Đã hoàn phí")


class PostagePayment(models.TextChoices):
    """How the applicant who chose the post pays the carrier's postage (docs/postal.md "Postage")."""

    PREPAID = "prepaid", _("Thanh toán trực tuyến trước")
    COD = "cod", _("Trả tiền mặt cho bưu tá khi nhận")


class PostageStatus(models.TextChoices):
    """A postage paid online: unpaid from submission until the payments app reports it paid (COD: nothing here)."""

    NONE = "", _("Không trả trước")
    UNPAID = "unpaid", _("Chưa trả cước")
    PAID = "paid", _("Đã trả cước")


class DocumentKind(models.TextChoices):
    APPLICATION = "application", _("Thành phần hồ sơ")
    SUPPLEMENT = "supplement", _("Hồ sơ bổ sung")


class ResultStatus(models.TextChoices):
    """An issued result (dossiers.models.IssuedResult): proposed by the specialist, issued signed at approval, then
    never changed, only revoked or replaced by a newer issue."""

    PROPOSED = "proposed", _("Dự thảo chờ phê duyệt")
    ISSUED = "issued", _("Đã ban hành")
    REVOKED = "revoked", _("Đã thu hồi")
    REPLACED = "replaced", _("Đã được thay thế")


class Actor(models.TextChoices):
    """Who may perform an action: the applicant, or an officer role of the dossier's agency."""

    APPLICANT = "applicant", _("Người nộp hồ sơ")
    RECEPTION = "reception_officer", _("Cán bộ tiếp nhận")
    PROCESSING = "processing_officer", _("Chuyên viên xử lý")
    APPROVER = "approver", _("Lãnh đạo phê duyệt")


class IssuedDocument(models.TextChoices):
    """The documents the portal issues for a dossier (forms 01 to 04), by the kind their address names."""

    RECEIPT = "receipt", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    SUPPLEMENT_REQUEST = "supplement-request", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
    REFUSAL = "refusal", _("Phiếu từ chối tiếp nhận, giải quyết hồ sơ")
    APOLOGY = "apology", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả")
