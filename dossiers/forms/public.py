from django import forms
from django.utils.translation import gettext_lazy as _

from ..lookup import SECOND_FACTOR_MIN_DIGITS


class LookupForm(forms.Form):
    """The public lookup (POST): the dossier code and the last digits of the applicant's ID or phone."""

    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=40,
        error_messages={"required": _("Hãy nhập mã hồ sơ.")},
        help_text=_("In trên giấy tiếp nhận hồ sơ, ví dụ 000.00.25.H56-260115-0001."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "lookup-form__input",
            }
        ),
    )
    second_factor = forms.CharField(
        label=_("4 số cuối CCCD/mã số thuế hoặc số điện thoại"),
        max_length=14,
        error_messages={
            "required": _("Hãy nhập 4 số cuối CCCD/mã số thuế hoặc số điện thoại của người nộp."),
            "max_length": _("Chỉ nhập các số cuối, tối đa %(limit_value)d chữ số."),
        },
        help_text=_("Ít nhất 4 chữ số cuối của số CCCD, mã số thuế hoặc số điện thoại đã khai khi nộp hồ sơ."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "inputmode": "numeric",
                "class": "lookup-form__input lookup-form__input--digits",
            }
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).upper()

    def clean_second_factor(self) -> str:
        digits = "".join(self.cleaned_data["second_factor"].split())
        if not digits.isdigit():
            raise forms.ValidationError(_("Chỉ nhập chữ số (0–9)."), code="digits")
        if len(digits) < SECOND_FACTOR_MIN_DIGITS:
            raise forms.ValidationError(
                _("Hãy nhập ít nhất %(n)d chữ số cuối.") % {"n": SECOND_FACTOR_MIN_DIGITS}, code="too_short"
            )
        return digits
