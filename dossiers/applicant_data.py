"""The rule for the data an applicant declares (a procedure's `applicant_fields`), apart from any form.

Each item of `procedure.applicant_fields` is `{name, label, type, required, choices, help}` (see
`procedures.models.validate_applicant_fields`); `type` is one of `procedures.constants.FieldType`.

- `clean_value(item, raw)`: one answer checked by its item's type and turned into the JSON to store (dates
  as ISO strings, numbers as JSON numbers, phones normalised, "" when unanswered), or ValidationError with
  the messages of Django's own validators. The web forms' fields (`dossiers.forms.applicant_fields`) clean
  each input with it, so a page and the API answer the same message.
- `clean_applicant_data(spec, data, require_required=...)`: every answer, for the services that store
  `form_data` (draft, submission, counter intake, API): unknown names refused, required items checked when
  submitting; the messages name the field's label.
"""

from datetime import date, datetime
from decimal import Decimal, DecimalException

from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.validators import normalize_phone, validate_citizen_id, validate_phone
from procedures.constants import FieldType

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
NUMBER_MAX_DIGITS, NUMBER_DECIMAL_PLACES = 20, 4
# The longest answer of each type of text (what a page's input also allows).
MAX_LENGTH = {
    FieldType.TEXT: 255,
    FieldType.TEXTAREA: 4000,
    FieldType.EMAIL: 254,
    FieldType.PHONE: 20,
    FieldType.CITIZEN_ID: 12,
}
NUMBER_INVALID = gettext_lazy("Hãy nhập một số.")
DATE_INVALID = gettext_lazy("Ngày không hợp lệ (ví dụ 31/12/1990).")
EMAIL_INVALID = gettext_lazy("Địa chỉ thư điện tử không hợp lệ.")
CHOICE_INVALID = gettext_lazy("Hãy chọn một giá trị trong danh sách.")

# The checks of a text answer beyond its length, in the order Django's form fields run them.
_TEXT_VALIDATORS = {
    FieldType.EMAIL: [validators.validate_email],
    FieldType.PHONE: [validate_phone],
    FieldType.CITIZEN_ID: [validate_citizen_id],
}
_EMPTY = (None, "", [], (), {})


def field_type(item: dict) -> str:
    """The item's type; an unknown one is read as short text."""
    kind = item.get("type", FieldType.TEXT)
    return kind if kind in FieldType.values else FieldType.TEXT


def choice_pairs(choices) -> list[tuple[str, str]]:
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


def clean_value(item: dict, raw):
    """One answer to `item` as the JSON to store ("" when unanswered); ValidationError when it is refused."""
    kind = field_type(item)
    if kind == FieldType.NUMBER:
        return "" if raw in _EMPTY else _number(raw)
    if kind == FieldType.DATE:
        return "" if raw in _EMPTY else _date(raw)
    if kind == FieldType.CHOICE:
        value = "" if raw in _EMPTY else str(raw)
        if value and value not in {key for key, _label in choice_pairs(item.get("choices"))}:
            raise ValidationError(CHOICE_INVALID, code="invalid_choice")
        return value.strip()
    value = "" if raw in _EMPTY else str(raw).strip()
    if kind == FieldType.PHONE:
        value = normalize_phone(value)
    if value:
        _run(
            value,
            [
                *_TEXT_VALIDATORS.get(kind, []),
                validators.MaxLengthValidator(MAX_LENGTH[kind]),
                validators.ProhibitNullCharactersValidator(),
            ],
            invalid_message=EMAIL_INVALID if kind == FieldType.EMAIL else None,
        )
    return value


def _number(raw) -> int | float:
    try:
        number = Decimal(str(raw))
    except DecimalException:
        raise ValidationError(NUMBER_INVALID, code="invalid") from None
    if not number.is_finite():
        raise ValidationError(NUMBER_INVALID, code="invalid")
    _run(number, [validators.DecimalValidator(NUMBER_MAX_DIGITS, NUMBER_DECIMAL_PLACES)])
    return int(number) if number == number.to_integral_value() else float(number)


def _date(raw) -> str:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    text = str(raw).strip()
    for input_format in DATE_INPUT_FORMATS:
        try:
            return datetime.strptime(text, input_format).date().isoformat()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise ValidationError(DATE_INVALID, code="invalid")


def _run(value, checks, *, invalid_message=None) -> None:
    """Every check, all their messages together (as a form field runs its validators)."""
    errors = []
    for check in checks:
        try:
            check(value)
        except ValidationError as error:
            if invalid_message is not None and error.code == "invalid":
                error.message = invalid_message
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)


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
    store in `Dossier.form_data` (every declared name present).

    The one rule for declared data, applied by the services to whatever they are given (the API passes
    JSON straight through; the web forms have cleaned each answer with `clean_value` already). A name the
    procedure does not declare, or a value that is a list, an object or true/false, is refused; with
    `require_required` (submission, counter intake) the required items must be answered. Raises
    ValidationError whose messages are Vietnamese and name the field's label.
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
        try:
            cleaned[name] = clean_value(item, raw)
        except ValidationError as error:
            errors.extend(_("%(label)s: %(message)s") % {"label": label, "message": m} for m in error.messages)
    if require_required:
        missing = applicant_data_missing(spec, cleaned)
        if missing:
            errors.append(_("Còn thiếu thông tin bắt buộc: %(names)s.") % {"names": "; ".join(missing)})
    if errors:
        raise ValidationError(errors, code="form_data")
    return cleaned
