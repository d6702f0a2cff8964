from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from .forms import CatalogueFilterForm
from .models import RequiredDocument
from .selectors import procedure_get_public, procedure_list_public

CATALOGUE_PAGE_SIZE = 20


def catalogue(request):
    form = CatalogueFilterForm(request.GET)
    procedures = procedure_list_public(**form.filters())
    page = Paginator(procedures, CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        "procedures/catalogue.html",
        {"form": form, "page": page, "query_without_page": query_without_page.urlencode()},
    )


def procedure_detail(request, code):
    procedure = procedure_get_public(code=code)
    return render(request, "procedures/procedure_detail.html", {"procedure": procedure})


def document_template(request, code, document_id):
    """Download the blank form of a required document; forms are public, but only of active procedures."""
    document = get_object_or_404(
        RequiredDocument.objects.select_related("procedure"),
        pk=document_id,
        procedure__code=code,
        procedure__is_active=True,
    )
    if not document.template:
        raise Http404
    filename = document.template.name.rsplit("/", 1)[-1]
    return FileResponse(document.template.open("rb"), as_attachment=True, filename=filename)
