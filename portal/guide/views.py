from django.http import Http404
from django.shortcuts import render

from . import PAGES, PAGES_BY_SLUG, Audience


def _pages_by_audience() -> dict[str, list]:
    return {
        audience: [page for page in PAGES if page.audience == audience]
        for audience in (Audience.CITIZEN, Audience.OFFICER)
    }


def guide_index(request):
    return render(request, "portal/guide/index.html", {"sections": _pages_by_audience()})


def guide_page(request, slug):
    page = PAGES_BY_SLUG.get(slug)
    if page is None:
        raise Http404
    return render(request, page.template_name, {"page": page, "sections": _pages_by_audience()})
