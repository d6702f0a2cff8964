"""What an officer types to find a dossier: its code (whole, a prefix or the last digits), the applicant's name
without diacritics ("nguyen van an" finds "Nguyễn Văn An"), the CCCD or tax code, or a phone number.

`Dossier.search_text` holds those four folded into one lower-case line (`search_text_for`), refreshed by
`Dossier.save` whenever one of them is saved; a query matches when the line contains each of its words
(`search_condition`). The same works on SQLite (`make run`) and PostgreSQL, where a trigram GIN index on the
column (migration 0009) answers "contains" without reading the agency's dossiers one by one (docs/performance.md).
"""

import re

from django.db.models import Func, Q, TextField

from portal.text import fold_vietnamese, search_terms

# The fields whose values `search_text` holds: saving any of them refreshes it.
SEARCHED_FIELDS = frozenset({"code", "applicant_name", "applicant_id_number", "applicant_phone"})

# A phone number as people write it: digits with spaces, dots, dashes, brackets, or the +84 country code.
_PHONE_LIKE = re.compile(r"\+?[\d.\-()]+")
_NOT_DIGIT = re.compile(r"\D")


def normalise_phone(value: str) -> str:
    """The digits of a Vietnamese phone number in its national form: "+84 912.345.678" -> "0912345678"."""
    digits = _NOT_DIGIT.sub("", value or "")
    if value.strip().startswith("+84") or (digits.startswith("84") and len(digits) == 11):
        digits = "0" + digits[2:]
    return digits


def search_text_for(*, code: str | None, name: str, id_number: str, phone: str) -> str:
    """The searchable line of a dossier (the generator of the benchmarks writes it the same way)."""
    parts = [code or "", id_number, normalise_phone(phone), name]
    return fold_vietnamese(" ".join(part for part in parts if part))


def _query_word(term: str) -> str:
    """A phone number typed with separators or +84 matches the digits the line keeps; other words as typed."""
    if _PHONE_LIKE.fullmatch(term) and any(char.isdigit() for char in term) and not term.isdigit():
        # A code is also digits and dashes ("261130-0001"): keep it as typed as well (see `search_condition`).
        return normalise_phone(term)
    return term


class Unindexed(Func):
    """The same text through an expression no index answers, so that PostgreSQL tests it on the rows another
    condition found instead of asking the trigram index (`search_condition(..., line=...)`)."""

    template = "(%(expressions)s || '')"
    output_field = TextField()


def search_condition(query: str, *, line: str = "search_text") -> Q:
    """Dossiers whose searchable line (`line`: the column, or an alias of `Unindexed("search_text")`) contains every
    word of `query` (an empty query: all of them). A word of digits and separators matches either as typed (a piece
    of a code) or as a phone number's digits."""
    condition = Q()
    for term in search_terms(query):
        word = _query_word(term)
        match = Q(**{f"{line}__contains": term})
        if word != term and word:
            match |= Q(**{f"{line}__contains": word})
        condition &= match
    return condition
