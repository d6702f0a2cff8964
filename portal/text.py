"""Text helpers: Vietnamese search, and the one way the portal writes a moment for people."""

import re
import unicodedata
from datetime import datetime

from django.utils import timezone

_SPACES = re.compile(r"\s+")


def fold_vietnamese(text: str) -> str:
    """Lower-case, without diacritics, single-spaced: "Giấy phép Đăng ký" -> "giay phep dang ky"."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def search_terms(query: str) -> list[str]:
    """The words of a search query, folded like the indexed text."""
    return [term for term in fold_vietnamese(query).split(" ") if term]


# "14:30 25/11/2026": the hour first, then the day, as appointment slips write it.
SHORT_DATETIME_FORMAT = "%H:%M %d/%m/%Y"


def short_datetime(moment: datetime | None) -> str:
    """A moment in local time as "HH:MM dd/mm/yyyy" (due dates in messages, notifications, documents and
    pages: the `short_datetime` template filter); "" for None."""
    return timezone.localtime(moment).strftime(SHORT_DATETIME_FORMAT) if moment else ""
