"""`{% load portal_text %}`: `{{ dossier.due_at|short_datetime }}`, the same text as `portal.text.short_datetime`."""

from django import template

from portal.text import short_datetime as _short_datetime

register = template.Library()


@register.filter
def short_datetime(moment) -> str:
    """ "14:30 25/11/2026" in local time; "" for None (so `|default:"—"` applies)."""
    return _short_datetime(moment)
