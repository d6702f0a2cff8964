"""Forms of the applicant's pages: the application (with its uploads), the supplement and the withdrawal.

Uploads are checked by `MultipleFileField` (dossiers.forms.files) before any service runs, so a refused
file is reported next to its component and nothing of the request is written.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import PhoneField

from ..constants import DeliveryMethod, PostagePayment
from .address import ADDRESS_FORM_FIELDS, PostalAddressForm, postal_address_initial
from .files import MultipleFileField


class DeliveryForm(PostalAddressForm):
    """How the result goes back, among `delivery_methods`: by post with the structured address and how the postage is
    paid. The application's part, and the page that changes it until the result is ready."""

    delivery_method = forms.ChoiceField(label=_("Hình thức nhận kết quả"), widget=forms.RadioSelect)
    postage_payment = forms.ChoiceField(
        label=_("Cách trả cước bưu chính"),
        choices=PostagePayment.choices,
        initial=PostagePayment.PREPAID,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, delivery_methods: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery_method"].choices = [(m, DeliveryMethod(m).label) for m in delivery_methods]
        self.offers_post = DeliveryMethod.POSTAL in delivery_methods
        if not self.offers_post:
            for name in [*ADDRESS_FORM_FIELDS.values(), "postage_payment"]:
                del self.fields[name]

    def postal_address_required(self) -> bool:
        return self.offers_post and self.cleaned_data.get("delivery_method") == DeliveryMethod.POSTAL

    def clean(self):
        cleaned = super().clean()
        if self.postal_address_required() and not cleaned.get("postage_payment"):
            self.add_error("postage_payment", _("Chọn cách trả cước bưu chính."))
        return cleaned

    def delivery(self) -> dict:
        """The delivery as the services (dossier_apply, dossier_change_delivery) take it."""
        postal = self.postal_address_required()
        return {
            "delivery_method": self.cleaned_data["delivery_method"],
            "postal_address": self.postal_address() if postal else None,
            "postage_payment": self.cleaned_data.get("postage_payment", "") if postal else "",
        }


def delivery_initial(dossier) -> dict:
    """A DeliveryForm's initial values: the dossier's delivery as saved."""
    return {
        "delivery_method": dossier.delivery_method,
        "postage_payment": dossier.postage_payment or PostagePayment.PREPAID,
        **postal_address_initial(
            dossier.postal_address, receiver_name=dossier.applicant_name, receiver_phone=dossier.applicant_phone
        ),
    }


class ApplicationForm(DeliveryForm):
    """The application page without the procedure's own data fields (those are an ApplicantDataForm)
    and without the files (a ComponentFilesForm), with the delivery (a DeliveryForm)."""

    client_token = forms.UUIDField(widget=forms.HiddenInput)
    applicant_phone = PhoneField(label=_("Số điện thoại liên hệ"))
    # What the office's notifications go to (with the phone), which may differ from the account's address.
    applicant_email = forms.EmailField(
        label=_("Thư điện tử nhận thông báo"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Thông báo về hồ sơ được gửi tới thư điện tử và số điện thoại này; để trống thì gửi tới thư điện tử của "
            "tài khoản."
        ),
    )
    applicant_address = forms.CharField(
        label=_("Địa chỉ liên hệ"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def __init__(self, *args, delivery_methods: list[str], enforce_required: bool = True, **kwargs):
        super().__init__(*args, delivery_methods=delivery_methods, **kwargs)
        if not enforce_required:
            for name in ("applicant_phone", "applicant_address"):
                self.fields[name].required = False
                self.fields[name].required_on_submit = True  # the label keeps its "*"


def component_field_name(component) -> str:
    return f"doc_{component.pk}"


class ComponentFilesForm(forms.Form):
    """One multiple-file input per required document of the procedure.

    `existing_counts` maps a component's id to the number of files the draft already holds; with
    `enforce_required` (the applicant submits) a required component with no file at all is an error.
    """

    def __init__(self, *args, components, existing_counts: dict[int, int], enforce_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.components = list(components)
        self.existing_counts = existing_counts
        self.enforce_required = enforce_required
        for component in self.components:
            self.fields[component_field_name(component)] = MultipleFileField(
                label=component.name,
                required=False,
                accepted_types=component.accepted_types_or_default,
                label_for_messages=component.name,
            )

    def clean(self):
        cleaned = super().clean()
        if self.enforce_required:
            for component in self.components:
                name = component_field_name(component)
                if name in self.errors or not component.is_required:
                    continue
                if not cleaned.get(name) and not self.existing_counts.get(component.pk):
                    self.add_error(name, _("Thành phần hồ sơ bắt buộc: hãy tải lên ít nhất một tệp."))
        return cleaned

    def files_by_component(self) -> list[tuple[object, list]]:
        return [
            (component, self.cleaned_data.get(component_field_name(component)) or [])
            for component in self.components
            if self.cleaned_data.get(component_field_name(component))
        ]


def supplement_item_field_name(position: int) -> str:
    return f"muc_{position}"


class SupplementForm(forms.Form):
    """The answer to a supplement request: the files of each requested item (`items`: the request's
    `selectors.supplement_items_for`: label and accepted types per item), every item answered, and a note."""

    note = forms.CharField(
        label=_("Ghi chú gửi cơ quan giải quyết"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, items: list[tuple[str, list[str]]], **kwargs):
        super().__init__(*args, **kwargs)
        for position, (label, accepted_types) in enumerate(items):
            self.fields[supplement_item_field_name(position)] = MultipleFileField(
                label=label,
                accepted_types=accepted_types,
                label_for_messages=label,
                help_text=_("Định dạng: %(types)s; có thể chọn nhiều tệp.")
                % {"types": ", ".join(t.upper() for t in accepted_types)},
                error_messages={"required": _("Hãy tải lên tệp cho mục này.")},
            )
        self.order_fields([name for name in self.fields if name != "note"])

    def item_fields(self) -> list:
        return [self[name] for name in self.fields if name != "note"]

    def files_by_item(self) -> dict[int, list]:
        return {
            position: self.cleaned_data[supplement_item_field_name(position)]
            for position in range(len(self.fields) - 1)
        }


class WithdrawForm(forms.Form):
    # The reason is required by `dossier_withdraw`, whose message is shown next to the field.
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
