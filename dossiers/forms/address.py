"""The postal address fields of a form (the application page; any page where someone types where the post goes):
commune from the administrators' list, street, receiver and phone, checked by the one rule of
procedures.addresses so a form and a service never disagree."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.forms import PhoneField
from procedures.addresses import active_communes, postal_address_clean

# The form's field for each field of the address.
ADDRESS_FORM_FIELDS = {
    "commune": "address_commune",
    "street": "address_street",
    "receiver_name": "address_receiver_name",
    "receiver_phone": "address_receiver_phone",
}


class PostalAddressForm(forms.Form):
    """Inherit to add the address; `postal_address_required()` says when it is (e.g. delivery by post chosen)."""

    address_commune = forms.ModelChoiceField(
        label=_("Xã, phường"),
        queryset=active_communes(),
        required=False,
        empty_label=_("— Chọn xã, phường —"),
        error_messages={"invalid_choice": _("Chọn xã, phường nhận trong danh sách.")},
        help_text=_("Theo đơn vị hành chính từ 01/7/2025 (tỉnh – xã, phường; không còn cấp huyện)."),
    )
    address_street = forms.CharField(
        label=_("Số nhà, đường, thôn, tổ"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    address_receiver_name = forms.CharField(
        label=_("Họ tên người nhận"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    address_receiver_phone = PhoneField(label=_("Điện thoại người nhận"), required=False)

    def postal_address_required(self) -> bool:
        return True

    def postal_address(self) -> dict:
        """The address as the services take it (procedures.addresses.postal_address_clean's arguments)."""
        commune = self.cleaned_data.get("address_commune")
        return {
            "commune_id": commune.pk if commune else None,
            "street": self.cleaned_data.get("address_street", ""),
            "receiver_name": self.cleaned_data.get("address_receiver_name", ""),
            "receiver_phone": self.cleaned_data.get("address_receiver_phone", ""),
        }

    def clean(self):
        cleaned = super().clean()
        if self.postal_address_required() and not any(f in self.errors for f in ADDRESS_FORM_FIELDS.values()):
            try:
                postal_address_clean(**self.postal_address())
            except ValidationError as refused:
                for name, messages in refused.message_dict.items():
                    self.add_error(ADDRESS_FORM_FIELDS[name], messages)
        return cleaned


def postal_address_initial(address, *, receiver_name: str, receiver_phone: str) -> dict:
    """The fields' initial values: the saved address, or the receiver the applicant most likely is."""
    if address is None:
        return {"address_receiver_name": receiver_name, "address_receiver_phone": receiver_phone}
    return {
        "address_commune": address.commune_id,
        "address_street": address.street,
        "address_receiver_name": address.receiver_name,
        "address_receiver_phone": address.receiver_phone,
    }
