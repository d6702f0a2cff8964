"""Which payment providers the portal offers: the classes registered here (each module of payments/providers/
registers its own), enabled by settings.PAYMENT_PROVIDERS (from the environment), in that order. A provider is
built from settings on each use, so its configuration is read where it lives."""

from django.conf import settings

from .base import OnlineProvider, PaymentProvider


class UnknownProvider(LookupError):
    """No enabled provider has that name."""


class Registry:
    def __init__(self):
        self._classes: dict[str, type[PaymentProvider]] = {}

    def register(self, cls: type[PaymentProvider]) -> type[PaymentProvider]:
        """Class decorator: offer `cls` under its `name` (enabled once settings.PAYMENT_PROVIDERS names it)."""
        if cls.name in self._classes:
            raise ValueError(f"Two payment providers named {cls.name!r}")
        self._classes[cls.name] = cls
        return cls

    def names(self) -> list[str]:
        """The enabled providers' names, as settings list them (names no module registered are an error)."""
        unknown = [name for name in settings.PAYMENT_PROVIDERS if name not in self._classes]
        if unknown:
            raise UnknownProvider(f"PAYMENT_PROVIDERS names unknown providers: {', '.join(unknown)}")
        return list(settings.PAYMENT_PROVIDERS)

    def get(self, name: str) -> PaymentProvider:
        if name not in self.names():
            raise UnknownProvider(name)
        return self._classes[name]()

    def enabled(self) -> list[PaymentProvider]:
        return [self._classes[name]() for name in self.names()]

    def online(self) -> list[OnlineProvider]:
        """The providers a payer pays through on the web, in the order the payment page offers them."""
        return [provider for provider in self.enabled() if isinstance(provider, OnlineProvider)]

    def label(self, name: str) -> str:
        """The name people read for a provider, enabled or not (an old payment's)."""
        cls = self._classes.get(name)
        return str(cls.label) if cls else name


registry = Registry()
register = registry.register
