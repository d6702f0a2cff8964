"""Django form fields built from a procedure's `applicant_fields` (the data the applicant declares).

Shared by the citizen's application form and the officer's counter intake. Each item of
`procedure.applicant_fields` is `{name, label, type, required, choices, help}` (see
`procedures.models.validate_applicant_fields`); `type` is one of `procedures.constants.FieldType`.

- `clean_applicant_data(spec, data, require_required=...)`: THE rule for declared data, used by the
  form below and by every service that stores `form_data` (draft, submission, counter intake, API):
  each value checked by its item's field type, choices, required items (only when submitting),
  unknown names refused; returns the JSON to store, or raises ValidationError with Vietnamese messages
  naming the field's label.
- `applicant_form_fields(spec, enforce_required=...)`: an ordered dict of form fields keyed by the
  item's name. With `enforce_required=False` (saving a draft) every field is optional but formats are
  still checked; submission checks the required ones again in `dossiers.services`.
- `ApplicantDataForm(spec=..., ...)`: a form of those fields (use a prefix, e.g. "data", so the names
  never clash with the page's other fields); its `clean` applies `clean_applicant_data`.
- `applicant_data_to_json(spec, cleaned_data)`: the JSON stored in `Dossier.form_data` (dates as ISO
  strings, numbers as JSON numbers, empty answers as "").
- `applicant_data_initial(spec, form_data)`: the stored JSON back as initial values of the form.
- `applicant_data_display(spec, form_data)`: (label, text) pairs for review and detail pages.
"""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.forms import PhoneField
from portal.validators import validate_citizen_id
from procedures.constants import FieldType

TEXT_MAX_LENGTH = 255
TEXTAREA_MAX_LENGTH = 4000
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


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
        return PhoneField(**common)
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
    """The procedure's applicant data fields as a form. `spec` is `procedure.applicant_fields`.

    Each field reports its own error next to the input; `clean` then applies `clean_applicant_data`,
    the rule the services apply again, and `to_json` returns what it gives."""

    def __init__(self, *args, spec: list[dict], enforce_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec or []
        self.enforce_required = enforce_required
        self.fields.update(applicant_form_fields(self.spec, enforce_required=enforce_required))
        self.json: dict | None = None

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                self.json = clean_applicant_data(self.spec, cleaned, require_required=self.enforce_required)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def to_json(self) -> dict:
        return self.json if self.json is not None else applicant_data_to_json(self.spec, self.cleaned_data)


def applicant_data_missing(spec: list[dict], data: dict) -> list[str]:
    """The labels of the required items without an answer."""
    data = data or {}
    return [
        item.get("label") or item["name"]
        for item in spec or []
        if item.get("required") and _is_empty(data.get(item["name"]))
    ]


def _is_empty(value) -> bool:
    return value is None or str(value).strip() == ""


def clean_applicant_data(spec: list[dict], data, *, require_required: bool) -> dict:
    """Check the applicant's declared data against the procedure's fields and return the JSON to
    store in `Dossier.form_data` (every declared name present; dates ISO, numbers as numbers, empty
    answers as "").

    The one rule for declared data: the web form applies it after its own per-field checks, and the
    services apply it to whatever they are given (the API passes JSON straight through). Each value is
    checked by the form field of its item's type (`applicant_form_field`: number, date, e-mail, phone,
    CCCD, choice...); a name the procedure does not declare, or a value that is a list, an object or
    true/false, is refused; with `require_required` (submission, counter intake) the required items
    must be answered. Raises ValidationError whose messages are Vietnamese and name the field's label.
    """
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValidationError(_("Thông tin kê khai phải là một đối tượng JSON."), code="form_data")
    spec = spec or []
    errors: list[str] = []
    declared = {item["name"] for item in spec}
    unknown = sorted(str(name) for name in data if name not in declared)
    if unknown:
        errors.append(
            _("Thông tin kê khai có trường không thuộc thủ tục này: %(names)s.") % {"names": ", ".join(unknown)}
        )
    cleaned: dict = {}
    for item in spec:
        name, label = item["name"], item.get("label") or item["name"]
        raw = data.get(name)
        if isinstance(raw, bool | list | dict):
            errors.append(_("%(label)s: giá trị không hợp lệ.") % {"label": label})
            continue
        field = applicant_form_field(item, enforce_required=False)
        try:
            value = field.clean("" if raw is None else raw)
        except ValidationError as error:
            errors.extend(_("%(label)s: %(message)s") % {"label": label, "message": m} for m in error.messages)
            continue
        cleaned[name] = _json_value(value)
    if require_required:
        missing = applicant_data_missing(spec, cleaned)
        if missing:
            errors.append(_("Còn thiếu thông tin bắt buộc: %(names)s.") % {"names": "; ".join(missing)})
    if errors:
        raise ValidationError(errors, code="form_data")
    return cleaned


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
