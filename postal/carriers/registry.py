"""Which carriers the portal uses: the classes registered here (each module of postal/carriers/ registers its own),
enabled by settings.POSTAL_CARRIERS, in order; the first is the one hand-overs go through. A carrier is built from
settings on each use."""

from django.conf import settings

from .base import Carrier


class UnknownCarrier(LookupError):
    """No enabled carrier has that name."""


class Registry:
    def __init__(self):
        self._classes: dict[str, type[Carrier]] = {}

    def register(self, cls: type[Carrier]) -> type[Carrier]:
        if cls.name in self._classes:
            raise ValueError(f"Two carriers named {cls.name!r}")
        self._classes[cls.name] = cls
        return cls

    def names(self) -> list[str]:
        unknown = [name for name in settings.POSTAL_CARRIERS if name not in self._classes]
        if unknown:
            raise UnknownCarrier(f"POSTAL_CARRIERS names unknown carriers: {', '.join(unknown)}")
        return list(settings.POSTAL_CARRIERS)

    def get(self, name: str) -> Carrier:
        if name not in self.names():
            raise UnknownCarrier(name)
        return self._classes[name]()

    def default(self) -> Carrier | None:
        """The carrier new hand-overs go through, or None when none is enabled."""
        names = self.names()
        return self._classes[names[0]]() if names else None

    def label(self, name: str) -> str:
        cls = self._classes.get(name)
        return str(cls.label) if cls else name


registry = Registry()
register = registry.register
