"""The one check of a postal address, whoever takes it (the application page, the API, the officer's intake, a
pickup order): the commune must be an active unit of the list, the street and the receiver are required and fit
their columns, the phone is a Vietnamese number. Refusals name the field, in Vietnamese."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.validators import normalize_phone, validate_phone

from .models import Commune, PostalAddress

ADDRESS_FIELDS = ("commune", "street", "receiver_name", "receiver_phone")


def active_communes():
    return Commune.objects.filter(is_active=True).select_related("province")


def postal_address_clean(*, commune_id, street: str, receiver_name: str, receiver_phone: str) -> PostalAddress:
    """An unsaved, checked address; ValidationError with every refused field's message otherwise."""
    errors = {}
    commune = None
    try:
        commune = active_communes().get(pk=int(commune_id))
    except (TypeError, ValueError, Commune.DoesNotExist):
        errors["commune"] = _("Chọn xã, phường nhận trong danh sách.")
    values = {"street": (street or "").strip(), "receiver_name": (receiver_name or "").strip()}
    for name, label in (("street", _("Số nhà, đường")), ("receiver_name", _("Họ tên người nhận"))):
        limit = PostalAddress._meta.get_field(name).max_length
        if not values[name]:
            errors[name] = _("Cần nhập %(label)s.") % {"label": label.lower()}
        elif len(values[name]) > limit:
            errors[name] = _("%(label)s dài quá %(n)s ký tự.") % {"label": label, "n": limit}
    phone = normalize_phone((receiver_phone or "").strip())
    try:
        validate_phone(phone)
    except ValidationError as error:
        errors["receiver_phone"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    return PostalAddress(commune=commune, receiver_phone=phone, **values)
