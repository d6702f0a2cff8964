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
