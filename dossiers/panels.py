"""Panels other apps add to the dossier pages, so a page shows what those apps know about the dossier (the fee and
its payments) while dossiers imports none of them. An app registers a function for a page in its
AppConfig.ready(); the page's view asks for its panels and the template prints them in order.

Pages: "apply_review" (the applicant's review before submitting), "applicant" (the applicant's dossier page),
"officer" (the officer's dossier page). A panel is called with the request and the dossier, and returns its HTML
(rendered from the app's own template) or "" when it has nothing to show.

The public lookup (its page and its API, dossiers/lookup/) takes a `PublicSection` instead: data, not HTML, because
its answer is cached and sent by the API as well as printed."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

PAGES = ("apply_review", "applicant", "officer")

Panel = Callable[..., str]
_panels: dict[str, list[Panel]] = defaultdict(list)


def register_panel(page: str, panel: Panel) -> None:
    if page not in PAGES:
        raise ValueError(f"No dossier page {page!r}: one of {', '.join(PAGES)}")
    if panel not in _panels[page]:
        _panels[page].append(panel)


def panels_for(page: str, *, request, dossier) -> list[str]:
    """The HTML of the panels registered for `page` that have something to show for `dossier`."""
    return [html for panel in _panels[page] if (html := panel(request=request, dossier=dossier))]


@dataclass(frozen=True)
class PublicRow:
    """What a public section is told of the dossier found: enough to decide whether it has anything to show."""

    pk: int
    channel: int
    delivery_method: str


@dataclass(frozen=True)
class PublicSection:
    """What another app adds to the public lookup, which anyone with the code and the second factor reads: never
    personal data. `read(dossier=PublicRow)` answers plain data (lists, dicts, strings, datetimes: it is cached with
    the lookup's answer, dossiers/lookup/cache.py) or None, in one query at most so the lookup's count stays
    constant; `html(data)` prints it on the page, `payload(data)` is the API's value under `name`."""

    name: str
    read: Callable[..., object]
    html: Callable[[object], str]
    payload: Callable[[object], object]


_public_sections: dict[str, PublicSection] = {}


def register_public_section(section: PublicSection) -> None:
    _public_sections[section.name] = section


def public_sections_read(dossier: PublicRow) -> tuple[tuple[str, object], ...]:
    """(name, data) of each registered section that has something to show for the dossier."""
    return tuple(
        (name, data)
        for name, section in _public_sections.items()
        if (data := section.read(dossier=dossier)) is not None
    )


def public_sections_html(sections) -> list[str]:
    return [_public_sections[name].html(data) for name, data in sections if name in _public_sections]


def public_sections_payload(sections) -> dict[str, object]:
    return {name: _public_sections[name].payload(data) for name, data in sections if name in _public_sections}
