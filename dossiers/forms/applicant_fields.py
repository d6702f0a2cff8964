"""Django form fields built from a procedure's `applicant_fields` (the data the applicant declares).

Shared by the citizen's application form and the officer's counter intake. Each item of
`procedure.applicant_fields` is `{name, label, type, required, choices, help}` (see
`procedures.models.validate_applicant_fields`); `type` is one of `procedures.constants.FieldType`.

- `applicant_form_fields(spec, enforce_required=...)`: an ordered dict of form fields keyed by the
  item's name. With `enforce_required=False` (saving a draft) every field is optional but formats are
  still checked; submission checks the required ones again in `dossiers.services`.
- `ApplicantDataForm(spec=..., ...)`: a form of those fields (use a prefix, e.g. "data", so the names
  never clash with the page's other fields).
- `applicant_data_to_json(spec, cleaned_data)`: the JSON stored in `Dossier.form_data` (dates as ISO
  strings, numbers as JSON numbers, empty answers as "").
- `applicant_data_initial(spec, form_data)`: the stored JSON back as initial values of the form.
- `applicant_data_display(spec, form_data)`: (label, text) pairs for review and detail pages.
"""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.validators import validate_citizen_id
from procedures.constants import FieldType

TEXT_MAX_LENGTH = 255
TEXTAREA_MAX_LENGTH = 4000
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
PHONE_REGEX = r"^(0|\+84)\d{9,10}$"


def _choice_pairs(choices) -> list[tuple[str, str]]:
    """Choices may be given as strings, [value, label] pairs or {"value", "label"} objects."""
    pairs = []
    for choice in choices or []:
        if isinstance(choice, list | tuple) and len(choice) == 2:
            pairs.append((str(choice[0]), str(choice[1])))
        elif isinstance(choice, dict) and "value" in choice:
            pairs.append((str(choice["value"]), str(choice.get("label", choice["value"]))))
        else:
            pairs.append((str(choice), str(choice)))
    return pairs


def applicant_form_field(item: dict, *, enforce_required: bool = True) -> forms.Field:
    """One form field for one item of `applicant_fields`."""
    kind = item.get("type", FieldType.TEXT)
    common = {
        "label": item.get("label") or item.get("name"),
        "required": bool(item.get("required")) and enforce_required,
        "help_text": item.get("help", ""),
    }
    if kind == FieldType.TEXTAREA:
        return forms.CharField(max_length=TEXTAREA_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}), **common)
    if kind == FieldType.NUMBER:
        return forms.DecimalField(
            max_digits=20,
            decimal_places=4,
            widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
            error_messages={"invalid": gettext_lazy("Hãy nhập một số.")},
            **common,
        )
    if kind == FieldType.DATE:
        return forms.DateField(
            input_formats=DATE_INPUT_FORMATS,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={"invalid": gettext_lazy("Ngày không hợp lệ (ví dụ 31/12/1990).")},
            **common,
        )
    if kind == FieldType.EMAIL:
        return forms.EmailField(
            max_length=254,
            widget=forms.EmailInput(attrs={"autocomplete": "email"}),
            error_messages={"invalid": gettext_lazy("Địa chỉ thư điện tử không hợp lệ.")},
            **common,
        )
    if kind == FieldType.PHONE:
        return forms.RegexField(
            regex=PHONE_REGEX,
            max_length=15,
            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
            error_messages={"invalid": gettext_lazy("Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0.")},
            **common,
        )
    if kind == FieldType.CITIZEN_ID:
        return forms.CharField(
            max_length=12,
            validators=[validate_citizen_id],
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            **common,
        )
    if kind == FieldType.CHOICE:
        return forms.ChoiceField(
            choices=[("", gettext_lazy("— Chọn —")), *_choice_pairs(item.get("choices"))],
            error_messages={"invalid_choice": gettext_lazy("Hãy chọn một giá trị trong danh sách.")},
            **common,
        )
    return forms.CharField(max_length=TEXT_MAX_LENGTH, **common)


def applicant_form_fields(spec: list[dict], *, enforce_required: bool = True) -> dict[str, forms.Field]:
    fields = {}
    for item in spec or []:
        field = applicant_form_field(item, enforce_required=enforce_required)
        # A draft leaves every field optional; the label still marks what submitting will require.
        field.required_on_submit = bool(item.get("required"))
        fields[item["name"]] = field
    return fields


class ApplicantDataForm(forms.Form):
    """The procedure's applicant data fields as a form. `spec` is `procedure.applicant_fields`."""

    def __init__(self, *args, spec: list[dict], enforce_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec or []
        self.fields.update(applicant_form_fields(self.spec, enforce_required=enforce_required))

    def to_json(self) -> dict:
        return applicant_data_to_json(self.spec, self.cleaned_data)


def _json_value(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    return value


def applicant_data_to_json(spec: list[dict], cleaned_data: dict) -> dict:
    return {item["name"]: _json_value(cleaned_data.get(item["name"])) for item in spec or []}


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
        return dict(_choice_pairs(item.get("choices"))).get(str(value), str(value))
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
