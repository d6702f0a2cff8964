from . import vnpost  # noqa: F401 (registers itself)
from .base import Carrier, CarrierUnavailable, Notification, ParcelAnswer, PriceAnswer
from .registry import UnknownCarrier, registry

__all__ = ["Carrier", "CarrierUnavailable", "Notification", "ParcelAnswer", "PriceAnswer", "UnknownCarrier", "registry"]
