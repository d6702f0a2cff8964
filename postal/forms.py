"""The applicant's pickup order form. It only parses; `postal.pickups.pickup_order` checks every value (the address
through procedures.addresses.postal_address_clean) and names each refused field in Vietnamese."""

from django import forms
from django.utils.translation import gettext_lazy as _

from procedures.addresses import active_communes


class PickupOrderForm(forms.Form):
    commune = forms.TypedChoiceField(
        label=_("Xã, phường"), coerce=int, error_messages={"required": _("Chọn xã, phường nơi bưu tá đến nhận.")}
    )
    street = forms.CharField(
        label=_("Số nhà, đường, thôn, tổ"), error_messages={"required": _("Cần nhập số nhà, đường.")}
    )
    receiver_name = forms.CharField(
        label=_("Người giao hồ sơ cho bưu tá"), error_messages={"required": _("Cần nhập họ tên người giao hồ sơ.")}
    )
    receiver_phone = forms.CharField(
        label=_("Số điện thoại bưu tá gọi"),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Cần nhập số điện thoại.")},
    )
    note = forms.CharField(
        label=_("Ghi chú cho bưu tá"),
        required=False,
        help_text=_("Ví dụ: giờ có nhà, đường vào."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", "—")] + [(c.pk, c.full_name) for c in active_communes()]
        self.fields["commune"].error_messages["invalid_choice"] = _("Chọn xã, phường nhận trong danh sách.")
