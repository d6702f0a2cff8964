"""The interface every carrier implements (as payments/providers/base.py is for the payment providers).

A carrier speaks its own protocol and turns each answer into a `ParcelAnswer` (create, cancel, query), a price into a
`PriceAnswer` (quote), and each
status notification into a `Notification`, verified (signature, sender). Carriers never touch the database: the
services decide, under row locks, what an answer changes. A carrier that could not be reached raises
`CarrierUnavailable` and nothing is decided.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

SECRET_MARKERS = ("secret", "token", "signature", "authorization")


def mask(parameters: Mapping) -> dict:
    """A copy fit for the message log: secret-looking values cut to their first characters."""
    return {
        name: (
            mask(value)
            if isinstance(value, Mapping)
            else f"{str(value)[:8]}…"
            if value and any(marker in name.lower() for marker in SECRET_MARKERS)
            else value
        )
        for name, value in parameters.items()
    }


class CarrierUnavailable(Exception):
    """The carrier could not be reached or answered nothing usable: try again later (same idempotency key)."""

    def __init__(self, detail: str, parameters: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.parameters = parameters or {}


@dataclass(frozen=True)
class ParcelAnswer:
    """The carrier's view of one parcel: its tracking number and status (one of ShipmentStatus)."""

    reference: str
    tracking_number: str
    status: str
    parameters: dict = field(default_factory=dict)  # as sent and received, masked


@dataclass(frozen=True)
class PriceAnswer:
    """The carrier's postage for one parcel: whole đồng, its distance zone (the carrier's code) and the weight."""

    amount: int
    zone: str
    weight_grams: int
    parameters: dict = field(default_factory=dict)  # as sent and received, masked


@dataclass(frozen=True)
class Notification:
    """A status notification as received. The services act on it only when `verified` and when the reference
    and tracking number are one shipment's."""

    signature_valid: bool
    sender_valid: bool
    reference: str
    tracking_number: str
    event_id: str
    sequence: int
    status: str
    occurred_at: datetime | None
    note: str = ""
    parameters: dict = field(default_factory=dict)

    @property
    def verified(self) -> bool:
        return self.signature_valid and self.sender_valid


class Carrier(ABC):
    name: str
    label: str

    @abstractmethod
    def create(self, *, shipment) -> ParcelAnswer:
        """Order the parcel (sender: the agency's one-stop desk; receiver; contents: the dossier code), keyed by
        the shipment's idempotency key: asked twice, the carrier answers with the same parcel."""

    @abstractmethod
    def cancel(self, *, shipment) -> ParcelAnswer:
        """Cancel a parcel not yet picked up."""

    @abstractmethod
    def query(self, *, shipment) -> ParcelAnswer:
        """The carrier's view of the parcel now."""

    @abstractmethod
    def create_pickup(self, *, pickup) -> ParcelAnswer:
        """Order the collection of a paper dossier (a postal.PickupOrder): a postal worker collects it at the
        applicant's address and carries it to the agency's one-stop desk. Keyed by its shipment's idempotency key
        like `create`; its status notifications are a shipment's."""

    @abstractmethod
    def cancel_pickup(self, *, pickup) -> ParcelAnswer:
        """Cancel a pickup not yet collected."""

    @abstractmethod
    def quote(self, *, sender_commune, receiver_commune, weight_grams: int) -> PriceAnswer:
        """The postage of a parcel of `weight_grams` between two procedures.Commune (sender: the agency's desk)."""

    @abstractmethod
    def read_notification(self, *, body: bytes, headers: Mapping) -> Notification:
        """A status notification (the request's raw body and headers), verified."""
