"""Amounts as a receipt writes them: in figures ("2.200.000 đồng") and in words ("Hai triệu hai trăm nghìn
đồng")."""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUP_UNITS = ("", "nghìn", "triệu")


def _group_words(number: int, *, read_hundreds: bool) -> list[str]:
    """A group of three digits; `read_hundreds` for every group after the first ("không trăm lẻ năm")."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words = [DIGITS[hundreds], "trăm"] if read_hundreds or hundreds else []
    if tens == 0:
        if units:
            words += ["lẻ", DIGITS[units]] if words else [DIGITS[units]]
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else DIGITS[units])
    else:
        words += [DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 5: "lăm"}.get(units, DIGITS[units]))
    return words


def _unit(position: int) -> list[str]:
    """The name of the `position`-th group of three digits from the right: nghìn, triệu, tỷ, nghìn tỷ..."""
    return ([GROUP_UNITS[position % 3]] if position % 3 else []) + ["tỷ"] * (position // 3)


def amount_in_words(amount: int) -> str:
    """2200000 -> "Hai triệu hai trăm nghìn đồng"."""
    groups = []
    while amount:
        groups.append(amount % 1000)
        amount //= 1000
    words = []
    for position in reversed(range(len(groups))):
        if groups[position]:
            words += _group_words(groups[position], read_hundreds=position != len(groups) - 1) + _unit(position)
    text = " ".join([*(words or ["không"]), "đồng"])
    return text[0].upper() + text[1:]


def amount_in_figures(amount: int) -> str:
    """2200000 -> "2.200.000 đồng"."""
    return f"{amount:,} đồng".replace(",", ".")
