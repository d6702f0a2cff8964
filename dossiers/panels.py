"""Panels other apps add to the dossier pages, so a page shows what those apps know about the dossier (the fee and
its payments) while dossiers imports none of them. An app registers a function for a page in its
AppConfig.ready(); the page's view asks for its panels and the template prints them in order.

Pages: "apply_review" (the applicant's review before submitting), "applicant" (the applicant's dossier page),
"officer" (the officer's dossier page). A panel is called with the request and the dossier, and returns its HTML
(rendered from the app's own template) or "" when it has nothing to show."""

from collections import defaultdict
from collections.abc import Callable

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
