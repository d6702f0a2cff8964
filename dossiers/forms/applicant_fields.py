"""Form fields built from a procedure's `applicant_fields` (the data the applicant declares).

Shared by the citizen's application form and the officer's counter intake. The rule for each answer is
`dossiers.applicant_data.clean_value`, which the services apply too: a field here only adds the input a
page shows (widget, label, help, required mark) and reports the rule's message next to that input.

- `applicant_form_fields(spec, enforce_required=...)`: an ordered dict of form fields keyed by the
  item's name. With `enforce_required=False` (saving a draft) every field is optional but formats are
  still checked; submission checks the required ones again in `dossiers.services`.
- `ApplicantDataForm(spec=..., ...)`: a form of those fields (use a prefix, e.g. "data", so the names
  never clash with the page's other fields); `to_json` gives the JSON to store in `Dossier.form_data`.
- `applicant_data_initial(spec, form_data)`: the stored JSON back as initial values of the form.
- `applicant_data_display(spec, form_data)`: (label, text) pairs for review and detail pages.
"""

from datetime import date

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from procedures.constants import FieldType

from ..applicant_data import (
    MAX_LENGTH,
    applicant_data_missing,
    choice_pairs,
    clean_applicant_data,
    clean_value,
    field_type,
)

# The rule's `applicant_data_missing` and `clean_applicant_data` are offered here too, for the pages that
# import them beside the form.
__all__ = [
    "ApplicantDataForm",
    "ApplicantValueField",
    "applicant_data_display",
    "applicant_data_initial",
    "applicant_data_missing",
    "applicant_form_field",
    "applicant_form_fields",
    "clean_applicant_data",
]


class ApplicantValueField(forms.Field):
    """One item of `applicant_fields` as a form field, cleaned by `clean_value` into the JSON to store."""

    def __init__(self, *, item: dict, **kwargs):
        self.item = item
        super().__init__(**kwargs)

    def to_python(self, value):
        return clean_value(self.item, value)


def _widget(item: dict) -> forms.Widget:
    kind = field_type(item)
    max_length = {"maxlength": str(MAX_LENGTH[kind])} if kind in MAX_LENGTH else {}
    if kind == FieldType.TEXTAREA:
        return forms.Textarea(attrs={"rows": 4, **max_length})
    if kind == FieldType.NUMBER:
        return forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"})
    if kind == FieldType.DATE:
        return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    if kind == FieldType.EMAIL:
        return forms.EmailInput(attrs={"autocomplete": "email", **max_length})
    if kind == FieldType.PHONE:
        return forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel", **max_length})
    if kind == FieldType.CITIZEN_ID:
        return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", **max_length})
    if kind == FieldType.CHOICE:
        return forms.Select(choices=[("", gettext_lazy("— Chọn —")), *choice_pairs(item.get("choices"))])
    return forms.TextInput(attrs=max_length)


def applicant_form_field(item: dict, *, enforce_required: bool = True) -> forms.Field:
    """One form field for one item of `applicant_fields`."""
    return ApplicantValueField(
        item=item,
        label=item.get("label") or item.get("name"),
        required=bool(item.get("required")) and enforce_required,
        help_text=item.get("help", ""),
        widget=_widget(item),
    )


def applicant_form_fields(spec: list[dict], *, enforce_required: bool = True) -> dict[str, forms.Field]:
    fields = {}
    for item in spec or []:
        field = applicant_form_field(item, enforce_required=enforce_required)
        # A draft leaves every field optional; the label still marks what submitting will require.
        field.required_on_submit = bool(item.get("required"))
        fields[item["name"]] = field
    return fields


class ApplicantDataForm(forms.Form):
    """The procedure's applicant data fields as a form. `spec` is `procedure.applicant_fields`.

    Each field reports the rule's message next to its input; `to_json` returns the answers as stored."""

    def __init__(self, *args, spec: list[dict], enforce_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec or []
        self.fields.update(applicant_form_fields(self.spec, enforce_required=enforce_required))

    def to_json(self) -> dict:
        return {item["name"]: self.cleaned_data.get(item["name"], "") for item in self.spec}


def applicant_data_initial(spec: list[dict], form_data: dict) -> dict:
    form_data = form_data or {}
    return {item["name"]: form_data[item["name"]] for item in spec or [] if item["name"] in form_data}


def _display(item: dict, value) -> str:
    if value is None or str(value).strip() == "":
        return ""
    kind = item.get("type")
    if kind == FieldType.DATE:
        try:
            return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    if kind == FieldType.CHOICE:
        return dict(choice_pairs(item.get("choices"))).get(str(value), str(value))
    if kind == FieldType.NUMBER and isinstance(value, int | float):
        return f"{value:,}".replace(",", "_").replace(".", ",").replace("_", ".")
    return str(value)


def applicant_data_display(spec: list[dict], form_data: dict) -> list[tuple[str, str]]:
    """(label, text) for every declared field, in the procedure's order; unanswered ones as "—"."""
    form_data = form_data or {}
    return [
        (item.get("label") or item["name"], _display(item, form_data.get(item["name"])) or _("—"))
        for item in spec or []
    ]
