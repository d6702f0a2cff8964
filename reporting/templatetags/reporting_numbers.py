from django import template

from reporting.numbers import grouped

register = template.Library()


@register.filter
def count(value) -> str:
    """187333 → "187.333" (Vietnamese)."""
    return grouped(value)


@register.filter
def rate(value) -> str:
    """A percentage to two decimals: 92.61 → "92,61" (Vietnamese); "—" for None."""
    return grouped(value, 2)
