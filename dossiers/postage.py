"""The carrier's price for sending a result by post, as the dossier pages and services ask for it while dossiers
imports no carrier: the postal app registers its quoter in its AppConfig.ready() (as it registers its panels in
dossiers.panels). Without one, or when the carrier cannot answer, `PostageUnavailable` says so in words for the
applicant, who may still choose another way to receive the result."""

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# How long the page's quote (asked at each choice of commune) shows a price again for the same pair of communes; the
# postage a dossier records is quoted without the cache (services/delivery.py).
QUOTE_CACHE_SECONDS = 5 * 60
# The one weight class quoted: a result in an A4 envelope, as the carrier's quoter declares it.
RESULT_WEIGHT_CLASS = "result"


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


def postage_quote_cached(*, agency, address) -> PostageQuote:
    """`postage_quote`, kept in the shared cache per (agency's commune, receiving commune, weight class, language of
    its words) for QUOTE_CACHE_SECONDS. The cache only spares the carrier: when it cannot be read or written (Redis
    down or hung) the carrier is asked as if nothing were cached. A refusal is never kept."""
    key = f"postage-quote:{agency.commune_id}:{address.commune_id}:{RESULT_WEIGHT_CLASS}:{get_language()}"
    try:
        kept = cache.get(key)
    except Exception:  # noqa: BLE001 - the cache is an optimisation: ask the carrier
        logger.warning("Postage cache unreadable; asking the carrier.", exc_info=True)
        kept = None
    if kept is not None:
        return PostageQuote(**kept)
    quote = postage_quote(agency=agency, address=address)
    try:
        cache.set(key, asdict(quote), timeout=QUOTE_CACHE_SECONDS)
    except Exception:  # noqa: BLE001 - the cache is an optimisation: the quote is answered anyway
        logger.warning("Postage cache unwritable; the quote is not kept.", exc_info=True)
    return quote
