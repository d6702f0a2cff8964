"""How the result goes back to the applicant, as a draft records it: the method the procedure offers and, for the
post, the structured address (checked by procedures.addresses), the carrier's postage for it and how it is paid.

Two steps, so the carrier is asked with no row locked and no transaction open: `delivery_choose` checks and quotes,
`delivery_write` writes the choice into the draft its caller has locked."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from procedures.addresses import ADDRESS_FIELDS, postal_address_clean
from procedures.models import PostalAddress, Procedure

from ..constants import DeliveryMethod, PostagePayment, PostageStatus
from ..models import Dossier
from ..postage import PostageUnavailable, postage_quote

DELIVERY_FIELDS = [
    "delivery_method",
    "delivery_address",
    "postal_address",
    "postage",
    "postage_payment",
    "postage_status",
]


@dataclass(frozen=True)
class DeliveryChoice:
    method: str
    address: PostalAddress | None = None  # checked, not saved
    postage: int = 0
    postage_payment: str = ""


def delivery_choose(
    *,
    procedure: Procedure,
    delivery_method: str,
    postal_address: Mapping | None,
    postage_payment: str,
    quoted: Dossier | None = None,
) -> DeliveryChoice:
    """Check the applicant's choice; by post, ask the carrier for the postage to the address (refused with the
    applicant's words when it cannot answer: the applicant may choose another method).

    `postal_address`: commune_id, street, receiver_name, receiver_phone. `quoted`: the draft as saved, whose postage
    stands while the receiving commune is the same (the price depends on nothing else of the address), so that a save
    changing neither the method nor the commune (a file removed, the declared data) asks no carrier."""
    if delivery_method not in procedure.delivery_methods:
        raise ValidationError(_("Thủ tục này không trả kết quả theo hình thức đã chọn."))
    if delivery_method != DeliveryMethod.POSTAL:
        return DeliveryChoice(method=delivery_method)
    if postage_payment not in PostagePayment.values:
        raise ValidationError({"postage_payment": _("Chọn cách trả cước bưu chính.")})
    address = postal_address_clean(**(postal_address or {}))
    postage = _stored_postage(quoted, address) or _quoted_postage(procedure, address)
    return DeliveryChoice(method=delivery_method, address=address, postage=postage, postage_payment=postage_payment)


def _stored_postage(draft: Dossier | None, address: PostalAddress) -> int:
    """The draft's postage if it was quoted to `address`'s commune; 0 when it must be quoted."""
    if draft is None or draft.delivery_method != DeliveryMethod.POSTAL or draft.postal_address_id is None:
        return 0
    return draft.postage if draft.postal_address.commune_id == address.commune_id else 0


def _quoted_postage(procedure: Procedure, address: PostalAddress) -> int:
    try:
        return postage_quote(agency=procedure.agency, address=address).amount
    except PostageUnavailable as unavailable:
        raise ValidationError(unavailable.message) from None


def delivery_write(dossier: Dossier, choice: DeliveryChoice) -> list[str]:
    """Write `choice` into a draft its caller has locked (the address into the draft's own PostalAddress row); the
    fields to save. Leaving the post keeps the address row, unused, for a change of mind."""
    dossier.delivery_method = choice.method
    dossier.postage, dossier.postage_payment = choice.postage, choice.postage_payment
    prepaid = choice.postage_payment == PostagePayment.PREPAID and choice.postage
    dossier.postage_status = PostageStatus.UNPAID if prepaid else PostageStatus.NONE
    address = choice.address
    if address is None:
        dossier.delivery_address = ""
        return DELIVERY_FIELDS
    if dossier.postal_address_id is None:
        address.save()
    else:
        address.pk = dossier.postal_address_id
        address.save(update_fields=[*ADDRESS_FIELDS, "updated_at"])
    dossier.postal_address = address
    dossier.delivery_address = address.one_line[:255]
    return DELIVERY_FIELDS
