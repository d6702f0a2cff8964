"""The interface every payment provider implements (the shape of Open Forms' payments/base.py).

A provider speaks its own protocol and turns each message into something the services understand: a `Redirect`
to start a payment, a `Report` about one transaction (from the browser's return, a server-to-server
notification, or a query's answer), a `RefundAnswer`. Providers never touch the database: the services decide,
under row locks, what a report changes. A provider that could not be reached raises `ProviderUnavailable` and
nothing is decided.

- `PaymentProvider`: a name (the key in settings.PAYMENT_PROVIDERS), a label for people, and refund.
- `OnlineProvider`: the payer leaves for the provider's page and comes back; the provider confirms server to
  server and answers queries: start, read_return, read_notification, notification_response, query.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.http import HttpResponse

from ..constants import NotificationOutcome

# Parameter names whose values are never stored or logged whole (a signature is derived from the secret).
SECRET_MARKERS = ("secret", "hash", "password", "token", "signature")
MASK_KEEP = 8


def mask_parameters(parameters: Mapping) -> dict:
    """A copy fit for the message log: values of secret-looking names cut to their first characters."""
    masked = {}
    for name, value in parameters.items():
        if isinstance(value, Mapping):
            masked[name] = mask_parameters(value)
        elif any(marker in name.lower() for marker in SECRET_MARKERS) and value:
            masked[name] = f"{str(value)[:MASK_KEEP]}…"
        else:
            masked[name] = value
    return masked


class ProviderUnavailable(Exception):
    """The provider could not be reached, or answered nothing usable: nothing is decided, try again later.
    `parameters`: what was sent (and received, if anything), masked, for the message log."""

    def __init__(self, detail: str, parameters: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.parameters = parameters or {}


class ReportedState(models.TextChoices):
    """What a provider says about a transaction."""

    PAID = "paid", "paid"
    FAILED = "failed", "failed"
    CANCELLED = "cancelled", "cancelled"
    PENDING = "pending", "pending"  # not finished at the provider yet
    NOT_FOUND = "not_found", "not found"  # the provider has never seen it


@dataclass(frozen=True)
class Redirect:
    """Where to send the payer, and what was sent (for the message log)."""

    url: str
    parameters: dict


@dataclass(frozen=True)
class Report:
    """One transaction as a provider's message describes it. The services act on it only when the signature and
    the merchant are valid and the reference and amount are the payment's."""

    reference: str
    state: ReportedState
    signature_valid: bool
    merchant_valid: bool
    amount: int | None  # whole đồng
    transaction_no: str = ""
    response_code: str = ""
    paid_at: datetime | None = None
    method_detail: str = ""  # the bank, the card type
    parameters: dict = field(default_factory=dict)  # as received (and, for a query, as sent), masked

    @property
    def verified(self) -> bool:
        return self.signature_valid and self.merchant_valid


class RefundOutcome(models.TextChoices):
    ACCEPTED = "accepted", "accepted"  # the provider takes the refund: the money goes back to the payer
    REFUSED = "refused", "refused"  # the provider will not refund it: the agency settles it by hand
    MANUAL = "manual", "manual"  # no provider to ask (money taken at the desk): handed back at the desk


@dataclass(frozen=True)
class RefundAnswer:
    outcome: RefundOutcome
    response_code: str = ""
    detail: str = ""
    parameters: dict = field(default_factory=dict)  # as sent and received, masked


class PaymentProvider(ABC):
    name: str
    label: str
    online: bool = False

    @abstractmethod
    def refund(self, *, payment, amount: int, requested_by: str) -> RefundAnswer:
        """Give `amount` of `payment` back to the payer (`requested_by`: who asks, for the provider's records).
        Raises ProviderUnavailable when nothing was decided."""


class OnlineProvider(PaymentProvider):
    online = True

    @abstractmethod
    def start(self, *, payment, return_url: str, client_ip: str) -> Redirect:
        """The provider's payment page for `payment`, which sends the payer back to `return_url`."""

    @abstractmethod
    def read_return(self, parameters: Mapping) -> Report:
        """The browser's return from the provider's page. It proves nothing about money by itself: the page
        says "confirming" until a notification or a query does."""

    @abstractmethod
    def read_notification(self, parameters: Mapping) -> Report:
        """A server-to-server notification, verified (signature, merchant)."""

    @abstractmethod
    def notification_response(self, outcome: NotificationOutcome) -> HttpResponse:
        """The answer the provider expects to a notification."""

    @abstractmethod
    def query(self, *, payment, client_ip: str) -> Report:
        """The provider's view of `payment` now. Raises ProviderUnavailable when it cannot be had."""
