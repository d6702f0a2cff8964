"""The lookup page's answer to a POST, printed from a frame instead of rendering lookup.html and the site shell again.

A cached lookup's own work is one Redis round trip; rendering the page around its answer (the shell, the header
and form text, `{% extends %}`) was most of its CPU (docs/performance.md, "The lookup against its floor"). Four
values change from one answer to the next: the CSRF token, the code put back in the form, the message, and the
answer's section (itself rendered once per cached answer, views/public.py). The frame is the page as the templates
render it with a marker in place of each value, split at the markers, once per process, language, address and kind
of answer (a dossier's section or a message); an answer joins the pieces with its values, escaped as the templates
escape them.

The frame prints what the templates print (tests/dossiers/test_lookup_frame.py holds them equal) wherever
everything else they read is the same for every request, which `applies` checks: an anonymous visitor (the shell
shows who is signed in) with no message waiting (the shell shows them), an address without a query string (the
language form sends the address back), and a code to put back (the form leaves an empty one out). Anything else is
rendered by the templates.
"""

import re

from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ..forms.public import LookupForm

TEMPLATE = "dossiers/public/lookup.html"
_VALUES = ("csrf_token", "code", "message", "result_html")
_MARKERS = re.compile("\x00({})\x00".format("|".join(_VALUES)))  # no template's text holds a NUL
_frames: dict[tuple[str, str, bool], list[str]] = {}


def applies(request, *, code: str) -> bool:
    """Whether the frame prints this answer exactly as the templates would (see the module's docstring)."""
    return (
        bool(code)
        and not request.META.get("QUERY_STRING")
        and not request.user.is_authenticated
        and not get_messages(request)
    )


def _frame(request, *, found: bool) -> list[str]:
    """The page split at its values: literal text at even positions, a value's name at odd ones."""
    key = (get_language(), request.path, found)
    frame = _frames.get(key)
    if frame is None:
        marker = "\x00{}\x00".format
        context = {
            "form": LookupForm(initial={"code": marker("code")}),
            "csrf_token": marker("csrf_token"),
            # The templates test the answer's summary only for being there.
            "result": found,
            "result_html": mark_safe(marker("result_html")) if found else "",  # noqa: S308 - a marker, no input
            "message": "" if found else marker("message"),
        }
        frame = _frames[key] = _MARKERS.split(render_to_string(TEMPLATE, context, request))
    return frame


def render(request, *, code: str, message: str = "", result_html: str = "", status: int = 200) -> HttpResponse:
    """The page with the answer's section `result_html` (safe HTML), or else with `message`; only where `applies`."""
    values = {
        "csrf_token": escape(get_token(request)),
        "code": escape(code),
        "message": escape(message),
        "result_html": result_html,
    }
    pieces = _frame(request, found=bool(result_html))
    html = "".join(values[piece] if position % 2 else piece for position, piece in enumerate(pieces))
    return HttpResponse(html, status=status)


def _forget_frames(**kwargs) -> None:
    # What the shell prints comes from the settings (the province, the languages, static files): a test that
    # changes them gets frames rendered anew.
    _frames.clear()


setting_changed.connect(_forget_frames)
