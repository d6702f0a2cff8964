"""The carrier's price for sending a result by post, as the dossier pages and services ask for it while dossiers
imports no carrier: the postal app registers its quoter in its AppConfig.ready() (as it registers its panels in
dossiers.panels). Without one, or when the carrier cannot answer, `PostageUnavailable` says so in words for the
applicant, who may still choose another way to receive the result."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class PostageQuote:
    amount: int  # whole đồng
    carrier: str  # the carrier's label
    zone: str  # the carrier's distance zone, in words
    weight: str  # the declared weight class, in words


class PostageUnavailable(Exception):
    """No price now: `message` tells the applicant (the carrier is down, none is configured...)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


Quoter = Callable[..., PostageQuote]
_quoter: list[Quoter] = []


def register_postage_quoter(quoter: Quoter) -> None:
    _quoter[:] = [quoter]


def postage_quote(*, agency, address) -> PostageQuote:
    """The postage from `agency`'s desk to `address` (a procedures.PostalAddress, saved or not)."""
    if not _quoter:
        raise PostageUnavailable(_("Chưa có đơn vị bưu chính nào được cấu hình để tính cước."))
    return _quoter[0](agency=agency, address=address)
