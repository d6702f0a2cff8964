"""One specification per workflow action: everything about an action that is not its rule. The rule (the
statuses it leaves from and leads to, who may perform it, its guards) is `workflow.TRANSITIONS`; its service
checks and writes. Everything else reads the specification here: the officer page (form, order, message,
button style), the API (one endpoint per action, its input and summary), the timeline (who acted, whether the
applicant reads the note) and the control sheet (who received the dossier).

Adding an action: an `Action`, a `Transition`, its service, and one `ActionSpec` below (plus its officer form
and API input if it has them); tests/dossiers/test_action_registry.py then runs it through every surface.

The service, form and input serializer are named, not imported: selectors read this module, and must not
import forms or services (which import forms and selectors themselves); the names are resolved on use, and
the registry test resolves every one.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from importlib import import_module

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.text import short_datetime

from .constants import Action, Actor, DossierStatus
from .models import Dossier, DossierEvent

S = DossierStatus

# A role, or a rule that finds it from the event (the same action can be done or received by different roles).
RoleRule = Actor | Callable[[DossierEvent], Actor | None] | None


@dataclass(frozen=True)
class ActionSpec:
    action: Action
    # The service in `dossiers.services`, and the keyword under which it takes the user who acts.
    service: str
    user_argument: str
    # The timeline an applicant reads: the role shown instead of the officer's name (None: the agency's name
    # alone), and whether the event's note was written for the applicant (else it is the office's own).
    who: RoleRule
    public_note: bool
    # The control sheet: who took the dossier over when the event names no person (the reception role is
    # the one-stop desk, the applicant role the applicant by name).
    receiver: RoleRule
    # The officer page: the form (a class of dossiers.forms.officer; None for the applicant's own actions),
    # the message after success ("%(code)s", "%(due)s": the dossier's code and due date), a red button, and
    # whether its form opens when it comes first. The page lists the forms in the order of ACTIONS below.
    form: str | None = None
    success_message: Promise | None = None
    danger: bool = False
    opens_first: bool = True
    # The API: POST /api/v1/dossiers/<code>/<url_path>/ with this summary (None: no such endpoint) and input
    # (a class of dossiers.api.serializers; None: no body), sent as multipart when it carries files.
    api_summary: str | None = None
    api_input: str | None = None
    api_multipart: bool = False
    # Performed through another app ("payments": paying the fee, refunding it), whose pages, API and services
    # call this action's service: it has no officer form or endpoint here, and is no hand-off of the control
    # sheet.
    outside: str = ""

    def __post_init__(self):
        # An officer action without a message would turn its success into a 500.
        if self.form is not None and not self.success_message:
            raise ImproperlyConfigured(f"The action {self.action} has an officer form but no success message.")

    @property
    def url_path(self) -> str:
        return self.action.replace("_", "-")

    @cached_property
    def service_function(self) -> Callable[..., Dossier]:
        return getattr(import_module("dossiers.services"), self.service)

    @cached_property
    def form_class(self):
        return getattr(import_module("dossiers.forms.officer"), self.form) if self.form else None

    @cached_property
    def input_class(self):
        if self.api_input is None:
            from rest_framework.serializers import Serializer

            return Serializer
        return getattr(import_module("dossiers.api.serializers"), self.api_input)

    def message_for(self, dossier: Dossier) -> str:
        return str(self.success_message) % {"code": dossier.code, "due": short_datetime(dossier.due_at)}

    def who_for(self, event: DossierEvent) -> Actor | None:
        return _apply(self.who, event)

    def receiver_for(self, event: DossierEvent) -> Actor:
        return _apply(self.receiver, event)


def _apply(rule: RoleRule, event: DossierEvent) -> Actor | None:
    return rule(event) if callable(rule) else rule


def _requester(event: DossierEvent) -> Actor:
    """Reception asks (a supplement, the fee) at receipt, the specialist during processing."""
    return Actor.PROCESSING if event.from_status == S.PROCESSING else Actor.RECEPTION


def _after_supplement(event: DossierEvent) -> Actor:
    """A supplement goes back to the step it interrupted."""
    return Actor.RECEPTION if event.to_status in (S.SUBMITTED, S.RECEIVED) else Actor.PROCESSING


def _deliverer(event: DossierEvent) -> Actor:
    """The desk hands a result back; an electronic result returned online went back with the approver's signature."""
    return Actor.APPROVER if event.extra_data.get("online") else Actor.RECEPTION


def _after_approval(event: DossierEvent) -> Actor:
    """An approved refusal goes to the applicant; a result to the desk that hands it back."""
    return Actor.APPLICANT if event.to_status == S.REFUSED else Actor.RECEPTION


ACTIONS: dict[str, ActionSpec] = {
    spec.action: spec
    for spec in [
        ActionSpec(
            action=Action.RECEIVE,
            service="dossier_receive",
            user_argument="officer",
            who=Actor.RECEPTION,
            public_note=True,
            receiver=Actor.RECEPTION,
            form="ReceiveForm",
            success_message=_("Đã tiếp nhận hồ sơ %(code)s. Ngày hẹn trả kết quả: %(due)s."),
            api_summary="Tiếp nhận hồ sơ (bắt đầu tính thời hạn)",
            api_input="ReceiveInput",
        ),
        ActionSpec(
            action=Action.FORWARD,
            service="dossier_forward",
            user_argument="officer",
            who=Actor.RECEPTION,
            public_note=False,
            receiver=Actor.PROCESSING,
            form="ForwardForm",
            success_message=_("Đã chuyển hồ sơ %(code)s sang xử lý."),
            api_summary="Chuyển hồ sơ sang bộ phận xử lý",
            api_input="ForwardInput",
        ),
        ActionSpec(
            action=Action.TAKE,
            service="dossier_take",
            user_argument="officer",
            who=Actor.PROCESSING,
            public_note=False,
            receiver=Actor.PROCESSING,
            form="TakeForm",
            success_message=_("Bạn đã nhận xử lý hồ sơ %(code)s."),
            api_summary="Nhận xử lý hồ sơ",
        ),
        ActionSpec(
            action=Action.ASSIGN,
            service="dossier_assign",
            user_argument="officer",
            who=None,
            public_note=False,
            receiver=Actor.PROCESSING,
            form="AssignForm",
            success_message=_("Đã giao hồ sơ %(code)s cho chuyên viên xử lý."),
            opens_first=False,  # the specialist's own steps come first when the leader also holds that role
            api_summary="Giao hoặc giao lại chuyên viên xử lý (lý do `reason` bắt buộc khi giao lại)",
            api_input="AssignInput",
        ),
        ActionSpec(
            action=Action.PROPOSE,
            service="dossier_propose",
            user_argument="officer",
            who=Actor.PROCESSING,
            public_note=False,
            receiver=Actor.APPROVER,
            form="ProposeForm",
            success_message=_("Đã trình phê duyệt hồ sơ %(code)s."),
            api_summary="Trình phê duyệt kết quả hoặc đề xuất từ chối (multipart, tệp kết quả `result_file`)",
            api_input="ProposeInput",
            api_multipart=True,
        ),
        ActionSpec(
            action=Action.APPROVE,
            service="dossier_approve",
            user_argument="approver",
            who=Actor.APPROVER,
            public_note=False,
            receiver=_after_approval,
            form="ApproveForm",
            success_message=_("Đã phê duyệt hồ sơ %(code)s."),
            api_summary="Phê duyệt đề xuất",
            api_input="ApproveInput",
        ),
        ActionSpec(
            action=Action.DELIVER,
            service="dossier_deliver",
            user_argument="officer",
            who=_deliverer,
            public_note=True,
            receiver=Actor.APPLICANT,
            form="DeliverForm",
            success_message=_("Đã ghi nhận trả kết quả hồ sơ %(code)s."),
            api_summary="Trả kết quả cho người nộp",
            api_input="DeliverInput",
        ),
        ActionSpec(
            action=Action.SUPPLEMENT,
            service="dossier_supplement",
            user_argument="user",
            who=None,
            public_note=True,
            receiver=_after_supplement,
            form="SupplementForm",
            success_message=_("Đã ghi nhận hồ sơ bổ sung của %(code)s; thời hạn giải quyết được tính tiếp."),
            api_summary="Bổ sung hồ sơ theo yêu cầu (multipart, trường `files` nhiều tệp)",
            api_input="SupplementInput",
            api_multipart=True,
        ),
        ActionSpec(
            action=Action.REQUEST_SUPPLEMENT,
            service="dossier_request_supplement",
            user_argument="officer",
            who=_requester,
            public_note=True,
            receiver=Actor.APPLICANT,
            form="RequestSupplementForm",
            success_message=_("Đã gửi yêu cầu bổ sung hồ sơ %(code)s tới người nộp."),
            api_summary="Yêu cầu bổ sung hồ sơ (tạm dừng tính thời hạn)",
            api_input="RequestSupplementInput",
        ),
        ActionSpec(
            action=Action.REQUEST_PAYMENT,
            service="dossier_request_payment",
            user_argument="officer",
            who=_requester,
            public_note=True,
            receiver=Actor.APPLICANT,
            form="RequestPaymentForm",
            success_message=_(
                "Đã gửi yêu cầu nộp phí, lệ phí hồ sơ %(code)s tới người nộp; thời hạn giải quyết tạm dừng."
            ),
            api_summary="Yêu cầu nộp phí, lệ phí (trạng thái 6, tạm dừng tính thời hạn)",
            api_input="RequestPaymentInput",
        ),
        ActionSpec(
            action=Action.SEND_BACK,
            service="dossier_send_back",
            user_argument="approver",
            who=Actor.APPROVER,
            public_note=False,
            receiver=Actor.PROCESSING,
            form="SendBackForm",
            success_message=_("Đã trả lại hồ sơ %(code)s để xử lý lại."),
            api_summary="Trả lại để xử lý lại",
            api_input="SendBackInput",
        ),
        ActionSpec(
            action=Action.APOLOGIZE,
            service="dossier_apologize",
            user_argument="officer",
            who=None,
            public_note=True,
            receiver=Actor.APPLICANT,
            form="ApologizeForm",
            success_message=_("Đã gửi thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s: %(due)s."),
            opens_first=False,  # rarely the step meant, even when it is the only one
            api_summary="Xin lỗi và hẹn lại ngày trả kết quả",
            api_input="ApologizeInput",
        ),
        ActionSpec(
            action=Action.REPLACE_RESULT,
            service="dossier_replace_result",
            user_argument="approver",
            who=Actor.APPROVER,
            public_note=True,
            receiver=Actor.APPLICANT,
            form="ReplaceResultForm",
            success_message=_("Đã ký ban hành kết quả mới thay thế kết quả cũ của hồ sơ %(code)s."),
            opens_first=False,
            api_summary="Thay thế kết quả điện tử đã ban hành (multipart: văn bản mới `result_file`, lý do `reason`)",
            api_input="ReplaceResultInput",
            api_multipart=True,
        ),
        ActionSpec(
            action=Action.REVOKE_RESULT,
            service="dossier_revoke_result",
            user_argument="approver",
            who=Actor.APPROVER,
            public_note=True,
            receiver=Actor.APPLICANT,
            form="RevokeResultForm",
            success_message=_("Đã thu hồi kết quả điện tử của hồ sơ %(code)s."),
            danger=True,
            opens_first=False,
            api_summary="Thu hồi kết quả điện tử đã ban hành (lý do `reason`)",
            api_input="RevokeResultInput",
        ),
        ActionSpec(
            action=Action.REFUSE,
            service="dossier_refuse",
            user_argument="officer",
            who=Actor.RECEPTION,
            public_note=True,
            receiver=Actor.APPLICANT,
            form="RefuseForm",
            success_message=_("Đã từ chối tiếp nhận hồ sơ %(code)s."),
            danger=True,
            api_summary="Từ chối tiếp nhận hồ sơ",
            api_input="RefuseInput",
        ),
        # The applicant's own actions: the application pages and POST /api/v1/dossiers/ submit; the applicant's
        # dossier page withdraws.
        ActionSpec(
            action=Action.SUBMIT,
            service="dossier_submit",
            user_argument="applicant",
            who=None,
            public_note=True,
            receiver=Actor.RECEPTION,
        ),
        ActionSpec(
            action=Action.WITHDRAW,
            service="dossier_withdraw",
            user_argument="applicant",
            who=None,
            public_note=True,
            receiver=Actor.RECEPTION,
            api_summary="Rút hồ sơ (người nộp)",
            api_input="WithdrawInput",
        ),
        # The fee, through the payments app: paid online by the applicant or at the desk, refunded by the provider.
        ActionSpec(
            action=Action.PAY,
            service="dossier_record_payment",
            user_argument="user",
            who=None,
            public_note=True,
            receiver=Actor.RECEPTION,
            outside="payments",
        ),
        ActionSpec(
            action=Action.PAY_POSTAGE,
            service="dossier_record_postage_payment",
            user_argument="user",
            who=None,
            public_note=True,
            receiver=Actor.RECEPTION,
            outside="payments",
        ),
        ActionSpec(
            action=Action.REFUND,
            service="dossier_record_refund",
            user_argument="recorded_by",
            who=None,
            public_note=True,
            receiver=Actor.APPLICANT,
            outside="payments",
        ),
    ]
}

# The officer page's forms, in the order it shows them: the usual next step first, refusal last.
OFFICER_ACTIONS: list[ActionSpec] = [spec for spec in ACTIONS.values() if spec.form is not None]


def perform_action(*, action: str, dossier: Dossier, user, **data) -> Dossier:
    """Call the service of `action` with `data` (the service's own keyword arguments: `note`, `reason`,
    `items`, `files`...), as its form or input serializer cleaned them. The service checks the transition
    and every value; an unknown action is a programming error (KeyError)."""
    spec = ACTIONS[action]
    return spec.service_function(dossier=dossier, **{spec.user_argument: user}, **data)
