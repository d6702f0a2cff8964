from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import PAGES, PAGES_BY_SLUG, Audience

AUDIENCE_TITLES = [
    (Audience.CITIZEN, _("Người dân, doanh nghiệp")),
    (Audience.OFFICER, _("Cán bộ, công chức")),
]


def _sections() -> list[tuple[str, list]]:
    """(heading, pages) for each audience, in the order the guide lists them."""
    return [(title, [page for page in PAGES if page.audience == audience]) for audience, title in AUDIENCE_TITLES]


def guide_index(request):
    return render(request, "portal/guide/index.html", {"sections": _sections()})


def guide_page(request, slug):
    page = PAGES_BY_SLUG.get(slug)
    if page is None:
        raise Http404
    return render(request, page.template_name, {"page": page, "sections": _sections()})
