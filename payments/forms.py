from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import CounterMethod


class CounterPaymentForm(forms.Form):
    """The reception officer records a fee taken at the desk."""

    method = forms.ChoiceField(
        label=_("Hình thức thu"),
        choices=CounterMethod.choices,
        initial=CounterMethod.CASH,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Hãy chọn hình thức thu: tiền mặt hoặc thẻ."),
            "invalid_choice": _("Hãy chọn hình thức thu: tiền mặt hoặc thẻ."),
        },
    )


class SettlementForm(forms.Form):
    """The day of the settlement report, and its format."""

    FORMATS = (("html", _("Xem trên trang")), ("csv", "CSV"), ("xlsx", "Excel (XLSX)"))

    ngay = forms.DateField(
        label=_("Ngày"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Hãy chọn ngày."), "invalid": _("Ngày không hợp lệ.")},
    )
    dinh_dang = forms.ChoiceField(label=_("Định dạng"), choices=FORMATS, initial="html", required=False)
