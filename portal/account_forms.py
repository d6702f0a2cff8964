"""Forms of the account page: contact details, the password, a new API token. They parse and check input; the
services (`portal.services`) decide and check again."""

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .forms import PhoneField
from .services import account_password_check


class ContactForm(forms.Form):
    email = forms.EmailField(
        label=_("Thư điện tử"),
        help_text=_("Cũng là tên đăng nhập của bạn."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneField(label=_("Số điện thoại"), required=False)
    current_password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        required=False,
        strip=False,
        help_text=_("Chỉ cần khi đổi thư điện tử."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"email": user.email, "phone": user.phone})
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email", "").lower()
        if not email or email == self.user.email:
            return cleaned
        try:
            if not account_password_check(user=self.user, password=cleaned.get("current_password", "")):
                self.add_error("current_password", _("Mật khẩu hiện tại không đúng: thư điện tử chưa được đổi."))
        except ValidationError as refused:  # too many wrong passwords: not checked at all
            self.add_error("current_password", refused)
        return cleaned


class AccountPasswordForm(PasswordChangeForm):
    """Django's checks (old password, new password twice, the password validators) with Vietnamese labels; the view
    sets the password through `portal.services.user_password_set`, never this form's `save`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Mật khẩu hiện tại")
        self.fields["new_password1"].label = _("Mật khẩu mới")
        self.fields["new_password2"].label = _("Nhập lại mật khẩu mới")
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": _("Mật khẩu hiện tại không đúng."),
            "password_mismatch": _("Hai mật khẩu mới không khớp."),
        }

    def clean_old_password(self):
        """Django's check, counted by the account page's lock-out (`account_password_check` raises once reached)."""
        old_password = self.cleaned_data["old_password"]
        if not account_password_check(user=self.user, password=old_password):
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Tên gợi nhớ"),
        max_length=100,
        required=False,
        help_text=_("Ví dụ: phần mềm kế toán, máy chủ nội bộ."),
    )
