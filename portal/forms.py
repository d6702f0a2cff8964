from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AdminPasswordChangeForm, AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from .constants import ApplicantType
from .models import User
from .services import user_password_set
from .validators import normalize_phone, normalize_tax_code, validate_citizen_id, validate_phone, validate_tax_code


class DateFilterField(forms.DateField):
    """A date typed in a filter (queues, statistics): a browser's date picker sends year-month-day, a person types
    day/month/year; optional, and a wrong value is told in Vietnamese."""

    input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def __init__(self, *, label, invalid_message=None, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        message = invalid_message or _("Ngày không hợp lệ. Hãy nhập theo dạng ngày/tháng/năm.")
        super().__init__(label=label, error_messages={"invalid": message}, **kwargs)


class PhoneField(forms.CharField):
    """A Vietnamese phone number: separators and a leading +84 are accepted and removed, then the
    portal-wide rule (`portal.validators.PHONE_REGEX`) applies."""

    default_validators = [validate_phone]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_phone(super().to_python(value))


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Thư điện tử, số CCCD hoặc mã số thuế"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("Thông tin đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khoá."),
    }


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Thư điện tử"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class ResetPasswordForm(SetPasswordForm):
    """The new password of a reset link, set by `user_password_set` (which also revokes the API tokens)."""

    def save(self, commit=True):
        return user_password_set(user=self.user, password=self.cleaned_data["new_password1"])


class AdminSetPasswordForm(AdminPasswordChangeForm):
    """The admin's "change password" form, set by `user_password_set` (which also revokes the API tokens);
    "password-based authentication disabled" sets an unusable password."""

    def save(self, commit=True):
        password = self.cleaned_data["password1"] if self.cleaned_data["set_usable_password"] else None
        return user_password_set(user=self.user, password=password)


class RegistrationForm(forms.Form):
    APPLICANT_TYPES = [(ApplicantType.CITIZEN, _("Công dân")), (ApplicantType.ENTERPRISE, _("Doanh nghiệp"))]

    applicant_type = forms.TypedChoiceField(
        label=_("Bạn là"),
        choices=APPLICANT_TYPES,
        coerce=int,
        widget=forms.RadioSelect,
        initial=ApplicantType.CITIZEN,
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    email = forms.EmailField(label=_("Thư điện tử"))
    phone = PhoneField(label=_("Số điện thoại"))
    citizen_id = forms.CharField(
        label=_("Số CCCD (12 chữ số)"),
        max_length=12,
        validators=[validate_citizen_id],
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    organization_name = forms.CharField(label=_("Tên doanh nghiệp"), max_length=255, required=False)
    tax_code = forms.CharField(
        label=_("Mã số thuế doanh nghiệp"), max_length=14, validators=[validate_tax_code], required=False
    )
    password1 = forms.CharField(
        label=_("Mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Thư điện tử này đã được dùng cho một tài khoản khác."))
        return email

    def clean_citizen_id(self):
        citizen_id = self.cleaned_data["citizen_id"]
        if citizen_id and User.objects.filter(citizen_id=citizen_id).exists():
            raise forms.ValidationError(_("Số CCCD này đã được đăng ký."))
        return citizen_id

    def clean_tax_code(self):
        tax_code = self.cleaned_data["tax_code"]
        if tax_code:
            tax_code = normalize_tax_code(tax_code)
            if User.objects.filter(tax_code=tax_code).exists():
                raise forms.ValidationError(_("Mã số thuế này đã được đăng ký."))
        return tax_code

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("applicant_type")
        if kind == ApplicantType.CITIZEN and not cleaned.get("citizen_id") and "citizen_id" not in self.errors:
            self.add_error("citizen_id", _("Công dân cần nhập số CCCD."))
        if kind == ApplicantType.ENTERPRISE:
            if not cleaned.get("tax_code") and "tax_code" not in self.errors:
                self.add_error("tax_code", _("Doanh nghiệp cần nhập mã số thuế."))
            if not cleaned.get("organization_name"):
                self.add_error("organization_name", _("Doanh nghiệp cần nhập tên doanh nghiệp."))
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Hai mật khẩu không khớp."))
        elif password1:
            probe = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
