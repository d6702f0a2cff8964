"""Payment providers as plugins: `base` (the interface), `registry` (which are enabled), one module each.

Adding a provider: a module here whose class subclasses `base.OnlineProvider` (or `base.PaymentProvider`) and is
decorated with `registry.register`, its import below, and its name in settings.PAYMENT_PROVIDERS with its
configuration (see docs/payments.md)."""

from . import counter, vnpay  # noqa: F401 (each module registers its provider)
from .base import (
    OnlineProvider,
    PaymentProvider,
    ProviderUnavailable,
    Redirect,
    RefundAnswer,
    RefundOutcome,
    Report,
    ReportedState,
    mask_parameters,
)
from .registry import UnknownProvider, registry

__all__ = [
    "OnlineProvider",
    "PaymentProvider",
    "ProviderUnavailable",
    "Redirect",
    "RefundAnswer",
    "RefundOutcome",
    "Report",
    "ReportedState",
    "UnknownProvider",
    "mask_parameters",
    "registry",
]
