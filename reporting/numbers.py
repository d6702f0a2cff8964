"""Numbers as the statistics print them: thousands grouped and the decimal mark of the page's language (187.333 and
92,61 in Vietnamese, 187,333 and 92.61 in English). Django's Vietnamese formats name the separators but group no
digits, so grouping is done here."""

from decimal import Decimal

from django.utils.formats import get_format


def grouped(value: int | Decimal | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    thousands, decimal_mark = get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR")
    return text.replace(",", "\x00").replace(".", decimal_mark).replace("\x00", thousands)
