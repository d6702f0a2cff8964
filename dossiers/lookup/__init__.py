"""The public lookup: its rules in one room, for the kiosk page that QR codes open (`/tra-cuu/`) and the API
(`/api/v1/lookup/`), which both call `lookup_attempt`.

Anyone with a dossier's code and a second factor (the last 4 digits or more of the applicant's ID or phone)
may read its status, dates and the actions of its timeline, nothing else (`public.py`). The same answer for
"no such dossier" and "wrong second factor". Every attempt is counted against its client address, invalid
input included, and failed attempts against the code (`limits.py`); successful answers are kept per code for
a short while and forgotten on every transition (`cache.py`); a cached answer is read only with a second
factor it accepts.
"""

from .attempt import LookupQuery, lookup_attempt
from .limits import (
    LOOKUP_ADDRESS_WINDOW_SECONDS,
    LOOKUP_CODE_LOCK_SECONDS,
    LookupCodeLocked,
    LookupRateLimited,
    LookupRefused,
)
from .public import SECOND_FACTOR_MIN_DIGITS, PublicDossier, PublicTimelineEntry, dossier_public_lookup

__all__ = [
    "LOOKUP_ADDRESS_WINDOW_SECONDS",
    "LOOKUP_CODE_LOCK_SECONDS",
    "SECOND_FACTOR_MIN_DIGITS",
    "LookupCodeLocked",
    "LookupQuery",
    "LookupRateLimited",
    "LookupRefused",
    "PublicDossier",
    "PublicTimelineEntry",
    "dossier_public_lookup",
    "lookup_attempt",
]
