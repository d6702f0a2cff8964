"""Forms of the officer pages: the queue filters, one small form per workflow action, and the counter
and postal intake. Forms only parse and check input; the services decide (and re-check) everything."""

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.constants import ApplicantType
from portal.forms import DateFilterField, PhoneField
from portal.validators import clean_id_number
from procedures.forms import channel_filter_field
from procedures.models import Procedure

from ..actions import OFFICER_ACTIONS
from ..constants import Channel, DeliveryMethod, FeeStatus, Outcome, PostagePayment
from ..selectors import processing_officers_for_agency
from ..selectors.queues import MINE, SORTS, UNASSIGNED
from .citizen import DeliveryForm
from .files import SUPPLEMENT_FILE_TYPES, MultipleFileField, MultipleFileInput

DATETIME_LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


# --- queue filters ---------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    """Search and filters of a queue (GET). Invalid values show an error and are not applied."""

    q = forms.CharField(
        label=_("Tìm hồ sơ"),
        required=False,
        max_length=100,
        help_text=_("Mã hồ sơ (hoặc mấy số cuối), tên người nộp (có dấu hay không), CCCD, mã số thuế, điện thoại."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    procedure = forms.ModelChoiceField(
        label=_("Thủ tục"),
        queryset=Procedure.objects.none(),
        required=False,
        empty_label=_("Tất cả thủ tục"),
        error_messages={"invalid_choice": _("Thủ tục không thuộc cơ quan của bạn.")},
    )
    channel = channel_filter_field()
    submitted_from = DateFilterField(label=_("Nộp từ ngày"))
    submitted_to = DateFilterField(label=_("Đến ngày"))
    fee = forms.ChoiceField(
        label=_("Phí, lệ phí"),
        required=False,
        choices=[("", _("Tất cả")), (FeeStatus.UNPAID, FeeStatus.UNPAID.label), (FeeStatus.PAID, FeeStatus.PAID.label)],
        error_messages={"invalid_choice": _("Tình trạng nộp phí không hợp lệ.")},
    )
    assigned = forms.ChoiceField(
        label=_("Giao xử lý"),
        required=False,
        choices=[("", _("Tất cả")), (MINE, _("Giao cho tôi")), (UNASSIGNED, _("Chưa giao ai"))],
        error_messages={"invalid_choice": _("Bộ lọc giao xử lý không hợp lệ.")},
    )
    # Set by the sortable column's heading, not shown as a field.
    sort = forms.ChoiceField(
        required=False,
        choices=[("", ""), *((name, name) for name in SORTS)],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Cách sắp xếp không hợp lệ.")},
    )

    def __init__(self, *args, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("submitted_from"), cleaned.get("submitted_to")
        if start and end and start > end:
            self.add_error("submitted_to", _("“Đến ngày” phải sau hoặc bằng “Nộp từ ngày”."))
        return cleaned

    def filters(self) -> dict:
        """The valid filters, as keyword arguments of `selectors.dossier_queue_for_officer`."""
        self.is_valid()
        valid = self.cleaned_data
        procedure = valid.get("procedure")
        return {
            "search": valid.get("q") or "",
            "procedure_id": procedure.pk if procedure else None,
            "channel": valid.get("channel"),
            "submitted_from": valid.get("submitted_from"),
            "submitted_to": valid.get("submitted_to"),
            "fee_status": valid.get("fee") or "",
            "assigned": valid.get("assigned") or "",
            "sort": valid.get("sort") or "",
        }


# --- actions ---------------------------------------------------------------------------------------


def _note(label=None, *, required=False, message=None):
    return forms.CharField(
        label=label or _("Ghi chú"),
        required=required,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": message} if message else {},
    )


class ActionForm(forms.Form):
    """Base of the action forms, each the form of one action's specification (`dossiers.actions`, which names
    it), for one dossier; its fields are named after the action (`receive-note`)."""

    submit_label = ""

    def __init__(self, *args, dossier, **kwargs):
        self.spec = next(spec for spec in OFFICER_ACTIONS if spec.form == type(self).__name__)
        kwargs.setdefault("prefix", self.spec.action)
        super().__init__(*args, **kwargs)
        self.dossier = dossier

    @property
    def action(self) -> str:
        return self.spec.action


class ReceiveForm(ActionForm):
    submit_label = _("Tiếp nhận hồ sơ")
    note = _note()


class RequestSupplementForm(ActionForm):
    """The items asked for: required documents of the procedure (ticked) and lines the officer writes, each answered
    with its own files, by a deadline."""

    submit_label = _("Gửi yêu cầu bổ sung")
    components = forms.ModelMultipleChoiceField(
        label=_("Thành phần hồ sơ cần bổ sung"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Giấy tờ cần bổ sung phải là thành phần hồ sơ của thủ tục này.")},
    )
    items = forms.CharField(
        label=_("Giấy tờ khác cần bổ sung (mỗi dòng một giấy tờ)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    respond_by = forms.DateField(
        label=_("Hạn bổ sung"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Để trống: %(days)s ngày kể từ hôm nay.") % {"days": settings.SUPPLEMENT_RESPONSE_DAYS},
        error_messages={"invalid": _("Ngày không hợp lệ.")},
    )
    note = _note(_("Hướng dẫn cho người nộp"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["components"].queryset = self.dossier.procedure.documents.all()

    def clean_components(self) -> list[int]:
        return [component.pk for component in self.cleaned_data["components"]]

    def clean_items(self) -> list[str]:
        items = [line.strip(" \t-•") for line in self.cleaned_data["items"].splitlines()]
        return [item for item in items if item]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("components") and not cleaned.get("items") and not self.errors:
            self.add_error("items", _("Hãy liệt kê giấy tờ cần bổ sung."))
        return cleaned


class RequestPaymentForm(ActionForm):
    submit_label = _("Yêu cầu nộp phí, lệ phí")
    note = _note(_("Hướng dẫn cho người nộp"))


class RefuseForm(ActionForm):
    submit_label = _("Từ chối tiếp nhận")
    reason = _note(_("Lý do từ chối"), required=True, message=_("Hãy nêu lý do từ chối."))


class ForwardForm(ActionForm):
    submit_label = _("Chuyển xử lý")
    assignee = forms.ModelChoiceField(
        label=_("Chuyên viên xử lý"),
        queryset=None,
        required=False,
        empty_label=_("Chuyển cho phòng chuyên môn (chưa giao người)"),
        error_messages={"invalid_choice": _("Người được giao phải là chuyên viên xử lý của cơ quan.")},
    )
    note = _note()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = processing_officers_for_agency(agency_id=self.dossier.agency_id)
        self.fields["assignee"].label_from_instance = lambda user: user.full_name or user.email


class TakeForm(ActionForm):
    submit_label = _("Nhận xử lý hồ sơ")


class AssignForm(ActionForm):
    """Reception or the leader gives the dossier to a specialist, or to another one with a reason. The page sends
    back whom it showed in charge (`seen_assignee`, 0: nobody), so a change made meanwhile is told, not overridden."""

    submit_label = _("Giao xử lý")
    assignee = forms.ModelChoiceField(
        label=_("Giao cho chuyên viên"),
        queryset=None,
        error_messages={
            "required": _("Hãy chọn chuyên viên xử lý."),
            "invalid_choice": _("Người được giao phải là chuyên viên xử lý của cơ quan."),
        },
    )
    reason = _note(_("Lý do (bắt buộc khi giao lại cho người khác)"))
    seen_assignee = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = processing_officers_for_agency(agency_id=self.dossier.agency_id)
        self.fields["assignee"].label_from_instance = lambda user: user.full_name or user.email
        self.fields["seen_assignee"].initial = self.dossier.assignee_id or 0
        if self.dossier.assignee_id:
            self.submit_label = _("Giao lại")

    def clean_seen_assignee(self):
        seen = self.cleaned_data["seen_assignee"]
        if seen is None:
            raise ValidationError(_("Hãy tải lại trang hồ sơ rồi giao."))
        return seen or None

    def clean(self):
        cleaned = super().clean()
        # As the service takes them: `seen_assignee_id`.
        if "seen_assignee" in cleaned:
            cleaned["seen_assignee_id"] = cleaned.pop("seen_assignee")
        return cleaned


class ProposeForm(ActionForm):
    submit_label = _("Trình phê duyệt")
    outcome = forms.ChoiceField(
        label=_("Đề xuất"),
        choices=Outcome.choices,
        initial=Outcome.RESULT,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Đề xuất không hợp lệ."), "required": _("Hãy chọn đề xuất.")},
    )
    note = _note(_("Ý kiến, lý do (bắt buộc khi đề xuất từ chối)"))
    result_file = forms.FileField(
        label=_("Văn bản kết quả giải quyết"),
        required=False,
        help_text=_("Bắt buộc khi đề xuất giải quyết. Tệp PDF: lãnh đạo ký số khi phê duyệt."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )


class ApproveForm(ActionForm):
    submit_label = _("Phê duyệt")
    note = _note()


class SendBackForm(ActionForm):
    submit_label = _("Trả lại để xử lý lại")
    note = _note(_("Ý kiến"), required=True, message=_("Hãy ghi ý kiến khi trả lại hồ sơ."))


class DeliverForm(ActionForm):
    """At the desk. A result by post goes through the postal panel's hand-over (the carrier gives the tracking
    number); here only when the applicant came to the desk for it instead, which the officer ticks."""

    submit_label = _("Xác nhận đã trả kết quả")
    note = _note()
    # Unticked, the service refuses the hand-back of a result by post with its message.
    counter_pickup = forms.BooleanField(
        label=_("Người nộp đến nhận kết quả tại quầy thay vì qua bưu điện"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.dossier is None or self.dossier.delivery_method != DeliveryMethod.POSTAL:
            del self.fields["counter_pickup"]


class ApologizeForm(ActionForm):
    submit_label = _("Gửi thư xin lỗi và hẹn lại")
    new_due_at = forms.DateTimeField(
        label=_("Ngày giờ hẹn trả mới"),
        input_formats=DATETIME_LOCAL_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": _("Hãy chọn ngày giờ hẹn trả mới."),
            "invalid": _("Ngày giờ hẹn trả mới không hợp lệ."),
        },
    )
    reason = _note(_("Lý do chậm trả kết quả"), required=True, message=_("Hãy nêu lý do chậm trả kết quả."))


class ReplaceResultForm(ActionForm):
    submit_label = _("Ký ban hành kết quả thay thế")
    result_file = forms.FileField(
        label=_("Văn bản kết quả mới (PDF)"),
        help_text=_("Được ký số khi gửi; kết quả cũ còn lưu với trạng thái “đã được thay thế”."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        error_messages={"required": _("Hãy tải lên văn bản kết quả mới.")},
    )
    reason = _note(_("Lý do thay thế"), required=True, message=_("Hãy nêu lý do thay thế kết quả."))


class RevokeResultForm(ActionForm):
    submit_label = _("Thu hồi kết quả điện tử")
    reason = _note(_("Lý do thu hồi"), required=True, message=_("Hãy nêu lý do thu hồi kết quả."))


class SupplementForm(ActionForm):
    """The officer records the supplement a counter or postal applicant (without an account) brought."""

    submit_label = _("Ghi nhận hồ sơ bổ sung")
    files = MultipleFileField(
        label=_("Giấy tờ bổ sung (bản số hoá)"),
        accepted_types=SUPPLEMENT_FILE_TYPES,
        label_for_messages=_("Hồ sơ bổ sung"),
        help_text=_("PDF, JPG hoặc PNG; chọn được nhiều tệp."),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={"required": _("Hãy tải lên ít nhất một tệp bổ sung.")},
    )
    note = _note()


# --- counter and postal intake ---------------------------------------------------------------------


class IntakeForm(DeliveryForm):
    """A paper dossier at the counter or by post, for one procedure. The procedure's applicant data
    fields are a separate `ApplicantDataForm` on the same page; files are one input per component. The result's
    delivery is the application's (by post: the structured address), the postage paid on delivery only
    (`dossier_record_intake`)."""

    # A random token per form: a double-clicked or resent form returns the dossier it already made.
    client_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    channel = forms.TypedChoiceField(
        label=_("Hình thức nộp"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Thủ tục này không nhận hồ sơ theo hình thức đã chọn.")},
    )
    applicant_type = forms.TypedChoiceField(
        label=_("Người nộp là"), coerce=int, choices=ApplicantType.choices, initial=ApplicantType.CITIZEN
    )
    applicant_name = forms.CharField(
        label=_("Họ tên người nộp / tên tổ chức"),
        max_length=255,
        error_messages={"required": _("Hãy nhập họ tên người nộp.")},
    )
    applicant_id_number = forms.CharField(
        label=_("Số CCCD hoặc mã số thuế"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_phone = PhoneField(
        label=_("Số điện thoại"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    applicant_email = forms.EmailField(
        label=_("Thư điện tử"), required=False, error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")}
    )
    applicant_address = forms.CharField(label=_("Địa chỉ"), required=False, max_length=255)
    delivery_method = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Thủ tục này không trả kết quả theo hình thức đã chọn.")},
    )
    postal_tracking_number = forms.CharField(
        label=_("Số hiệu bưu gửi của hồ sơ"),
        required=False,
        max_length=40,
        help_text=_("Bắt buộc với hồ sơ nhận qua bưu chính."),
    )
    note = _note(_("Ghi chú khi tiếp nhận"))

    def __init__(self, *args, procedure: Procedure, parcel_number: str = "", **kwargs):
        super().__init__(*args, delivery_methods=procedure.delivery_methods, **kwargs)
        self.procedure = procedure
        # The parcel's number as a linked order gives it (a pickup the post collected): then not typed.
        self.parcel_number = parcel_number
        channels = [(channel, channel.label) for channel in procedure.channels if channel != Channel.ONLINE]
        self.fields["channel"].choices = channels
        if len(channels) == 1:
            self.fields["channel"].initial = channels[0][0]
        methods = procedure.delivery_methods
        if len(methods) == 1:
            self.fields["delivery_method"].initial = methods[0]
        if self.offers_post:
            self.fields["postage_payment"].choices = [(PostagePayment.COD, PostagePayment.COD.label)]
            self.fields["postage_payment"].initial = PostagePayment.COD
            self.fields["postage_payment"].error_messages["invalid_choice"] = _(
                "Hồ sơ tiếp nhận tại quầy hoặc qua bưu chính trả cước bưu chính khi nhận kết quả."
            )
        self.components = list(procedure.documents.all())
        for component in self.components:
            types = component.accepted_types_or_default
            self.fields[self.component_field_name(component)] = MultipleFileField(
                label=component.name,
                required=component.is_required,
                accepted_types=types,
                label_for_messages=component.name,
                help_text=_("Bản điện tử của giấy tờ giấy. Định dạng: %(types)s.")
                % {"types": ", ".join(t.upper() for t in types)},
                widget=MultipleFileInput(attrs={"accept": ",".join(f".{t}" for t in types)}),
                error_messages={
                    "required": _("Hãy số hoá và tải lên “%(name)s”.") % {"name": component.name},
                },
            )

    @staticmethod
    def component_field_name(component) -> str:
        return f"component_{component.pk}"

    def component_fields(self):
        return [self[self.component_field_name(c)] for c in self.components]

    def clean_applicant_id_number(self) -> str:
        value = self.cleaned_data["applicant_id_number"].strip()
        # A CCCD or a tax code, normalised: the rule `dossier_record_intake` applies again.
        return clean_id_number(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        typed = cleaned.get("postal_tracking_number", "").strip()
        if cleaned.get("channel") == Channel.POSTAL and not (typed or self.parcel_number):
            self.add_error("postal_tracking_number", _("Hãy nhập số hiệu bưu gửi của hồ sơ nhận qua bưu chính."))
        return cleaned

    def files_by_component(self) -> dict[int, list]:
        return {
            c.pk: self.cleaned_data[self.component_field_name(c)]
            for c in self.components
            if self.cleaned_data.get(self.component_field_name(c))
        }
