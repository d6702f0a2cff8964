"""The procedure admin's forms: what an administrator edits with widgets instead of typing JSON.

A procedure's applicant data fields stay one JSON list on the procedure (each dossier copies it at
submission, the API and the application form read it: docs/decisions.md "Applicant fields in the admin");
the admin shows that list as rows of a small formset — code, label, type, required, choices, help —
ordered by a "Thứ tự" column, and writes the list back in that order. A document's accepted formats are
checkboxes. Rows that repeat a code or an order, or a choice field without choices, are refused with the
row marked and nothing saved.
"""

from django import forms
from django.forms.formsets import BaseFormSet, formset_factory
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from .constants import FieldType, FileType
from .models import Procedure, RequiredDocument

# Blank rows offered under the existing ones; "Thêm dòng" adds more (static/js/admin-applicant-fields.js).
BLANK_ROWS = 3
CHOICE_SEPARATOR = "|"


def _choice_lines(choices) -> str:
    """Stored choices as the text area shows them: one a line, "code | label" when they differ."""
    lines = []
    for choice in choices or []:
        if isinstance(choice, dict):
            choice = [choice.get("value", ""), choice.get("label", choice.get("value", ""))]
        if isinstance(choice, list | tuple) and len(choice) == 2 and str(choice[0]) != str(choice[1]):
            lines.append(f"{choice[0]} {CHOICE_SEPARATOR} {choice[1]}")
        else:
            lines.append(str(choice[0] if isinstance(choice, list | tuple) else choice))
    return "\n".join(lines)


def _choices_from_lines(text: str) -> list:
    choices = []
    for line in text.splitlines():
        value, separator, label = (part.strip() for part in line.partition(CHOICE_SEPARATOR))
        if value:
            choices.append([value, label or value] if separator else value)
    return choices


class ApplicantFieldRowForm(forms.Form):
    """One item of `Procedure.applicant_fields`."""

    position = forms.IntegerField(
        label=_("Thứ tự"), min_value=1, max_value=999, widget=forms.NumberInput(attrs={"class": "vIntegerField"})
    )
    name = forms.CharField(label=_("Mã trường"), max_length=50, widget=forms.TextInput(attrs={"size": 12}))
    label = forms.CharField(label=_("Nhãn hiển thị"), max_length=255, widget=forms.TextInput(attrs={"size": 18}))
    type = forms.ChoiceField(label=_("Loại"), choices=FieldType.choices, initial=FieldType.TEXT)
    required = forms.BooleanField(label=_("Bắt buộc"), required=False)
    choices = forms.CharField(
        label=_("Các lựa chọn"), required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 16})
    )
    help = forms.CharField(
        label=_("Hướng dẫn"), required=False, max_length=500, widget=forms.TextInput(attrs={"size": 14})
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not (name.isascii() and name.isidentifier()):
            raise forms.ValidationError(
                _("Mã trường chỉ gồm chữ không dấu, số và dấu gạch dưới, không bắt đầu bằng số.")
            )
        return name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("type") == FieldType.CHOICE and not _choices_from_lines(cleaned.get("choices", "")):
            self.add_error("choices", _("Trường “Chọn một” cần ít nhất một lựa chọn."))
        return cleaned

    def item(self) -> dict:
        """The row as the JSON item the application form reads."""
        data = self.cleaned_data
        item = {"name": data["name"], "label": data["label"], "type": data["type"], "required": data["required"]}
        if data["type"] == FieldType.CHOICE:
            item["choices"] = _choices_from_lines(data["choices"])
        if data["help"]:
            item["help"] = data["help"]
        return item

    @staticmethod
    def initial_from(item: dict, position: int) -> dict:
        return {
            "position": position,
            "name": item.get("name", ""),
            "label": item.get("label", ""),
            "type": item.get("type", FieldType.TEXT),
            "required": bool(item.get("required")),
            "choices": _choice_lines(item.get("choices")),
            "help": item.get("help", ""),
        }


class BaseApplicantFieldFormSet(BaseFormSet):
    def kept_forms(self) -> list[ApplicantFieldRowForm]:
        """Filled rows not marked for deletion (blank extra rows are left out)."""
        return [
            form
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form) and form.cleaned_data
        ]

    def clean(self):
        if any(self.errors):
            return
        seen_names, seen_positions = {}, {}
        for form in self.kept_forms():
            name, position = form.cleaned_data["name"], form.cleaned_data["position"]
            if name in seen_names:
                form.add_error("name", _("Mã trường “%(name)s” đã có ở dòng trên.") % {"name": name})
            if position in seen_positions:
                form.add_error("position", _("Thứ tự %(position)s đã có ở dòng trên.") % {"position": position})
            seen_names[name] = seen_positions[position] = form
        if any(self.errors):
            raise forms.ValidationError(_("Mỗi trường cần một mã và một thứ tự riêng."))

    def items(self) -> list[dict]:
        return [form.item() for form in sorted(self.kept_forms(), key=lambda form: form.cleaned_data["position"])]


ApplicantFieldFormSet = formset_factory(
    ApplicantFieldRowForm, formset=BaseApplicantFieldFormSet, extra=BLANK_ROWS, can_delete=True
)


def applicant_fields_formset(*, prefix: str, items=None, data=None) -> BaseApplicantFieldFormSet:
    if data is not None:
        return ApplicantFieldFormSet(data, prefix=prefix)
    initial = [ApplicantFieldRowForm.initial_from(item, position) for position, item in enumerate(items or [], 1)]
    return ApplicantFieldFormSet(prefix=prefix, initial=initial)


class ApplicantFieldsWidget(forms.Widget):
    """The rows of the formset in a table; what the browser posts back is that formset, bound."""

    template_name = "admin/procedures/applicant_fields_widget.html"

    class Media:
        css = {"all": ["css/admin-applicant-fields.css"]}
        js = ["js/admin-applicant-fields.js"]

    def format_value(self, value):
        return None  # the template renders the formset, never the value as text

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        is_formset = isinstance(value, BaseApplicantFieldFormSet)
        context["formset"] = value if is_formset else applicant_fields_formset(prefix=name, items=value)
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template engine (templates/), which the default form renderer does not search.
        return render_to_string(self.template_name, self.get_context(name, value, attrs))

    def value_from_datadict(self, data, files, name):
        if self.value_omitted_from_data(data, files, name):
            return None  # not on the posted form: the stored list is kept
        return applicant_fields_formset(prefix=name, data=data)

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-TOTAL_FORMS" not in data


class ApplicantFieldsField(forms.Field):
    """`Procedure.applicant_fields` edited as rows; cleans to the JSON list, in the rows' order."""

    widget = ApplicantFieldsWidget

    def to_python(self, value):
        if not isinstance(value, BaseApplicantFieldFormSet):
            return value or []
        if not value.is_valid():
            raise forms.ValidationError(_("Các trường thông tin người nộp có lỗi: xem các dòng được đánh dấu."))
        return value.items()

    def has_changed(self, initial, data):
        if isinstance(data, BaseApplicantFieldFormSet):
            return data.is_valid() and data.items() != (initial or [])
        return super().has_changed(initial, data)


class ProcedureAdminForm(forms.ModelForm):
    applicant_fields = ApplicantFieldsField(
        label=Procedure._meta.get_field("applicant_fields").verbose_name,
        required=False,
        help_text=_("Thông tin người nộp khai trên đơn, ngoài họ tên và giấy tờ tùy thân. Để trống dòng không dùng."),
    )

    class Meta:
        model = Procedure
        fields = ["applicant_fields"]  # the admin adds the rest of its fieldsets


class RequiredDocumentAdminForm(forms.ModelForm):
    accepted_file_types = forms.MultipleChoiceField(
        label=RequiredDocument._meta.get_field("accepted_file_types").verbose_name,
        choices=FileType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Không chọn: PDF, JPEG và PNG."),
    )

    class Meta:
        model = RequiredDocument
        fields = ["accepted_file_types"]  # the inline adds the rest of its fields


class RequiredDocumentFormSet(forms.BaseInlineFormSet):
    """The components of a dossier, each in its own place ("Thứ tự" is the order the applicant sees)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        positions = {}
        for form in self.forms:
            if not form.cleaned_data or self._should_delete_form(form):
                continue  # a blank extra form, or one being deleted
            position = form.cleaned_data.get("position")
            if position in positions:
                form.add_error(
                    "position",
                    _("Thứ tự %(position)s đã có ở giấy tờ “%(name)s”.")
                    % {
                        "position": position,
                        "name": positions[position],
                    },
                )
            positions[position] = form.cleaned_data.get("name")
        if any(self.errors):
            raise forms.ValidationError(_("Mỗi thành phần hồ sơ cần một thứ tự riêng."))
