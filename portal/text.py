"""Text helpers for Vietnamese search."""

import re
import unicodedata

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
