"""The public verification page's form: one PDF to check (read and refused by `selectors.read_pdf_for_verification`,
which the API uses too)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp kết quả (PDF)"),
        required=False,
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        help_text=_("Tệp được kiểm tra rồi bỏ đi, Cổng không lưu lại."),
    )
