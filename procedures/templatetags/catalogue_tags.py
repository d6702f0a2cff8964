"""Template filters for the catalogue pages."""

from django import template
from django.utils.translation import gettext as _

from procedures.constants import FieldType

register = template.Library()


def group_thousands(amount: int) -> str:
    """1500000 -> "1.500.000" (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".")


@register.filter
def vnd(value) -> str:
    """A fee in đồng: 0 -> "Miễn phí", 1500000 -> "1.500.000 đồng"."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    if amount == 0:
        return _("Miễn phí")
    return _("%(amount)s đồng") % {"amount": group_thousands(amount)}


@register.filter
def field_type_label(value) -> str:
    """The readable name of an applicant data field type ("text" -> "Văn bản ngắn")."""
    try:
        return FieldType(value).label
    except ValueError:
        return str(value or "")
