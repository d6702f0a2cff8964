from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from portal.downloads import stored_file_response
from portal.files import MIME_BY_FILE_TYPE, sniff_file_type

from .forms import CatalogueFilterForm
from .models import RequiredDocument
from .selectors import (
    catalogue_counts,
    fields_with_procedures,
    procedure_get_public,
    procedure_list_public,
    procedures_featured,
    procedures_online,
)
from .validators import TEMPLATE_FILE_TYPES

CATALOGUE_PAGE_SIZE = 20


def home(request):
    """The portal's front page: search, the most used procedures, the catalogue's counts."""
    return render(
        request,
        "procedures/home.html",
        {
            "featured": procedures_featured(),
            "online": procedures_online(),
            "counts": catalogue_counts(),
            "fields": fields_with_procedures()[:12],
        },
    )


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
    filename = document.template.name.rsplit("/", 1)[-1]
    return stored_file_response(request, document.template, filename=filename, content_type=_template_content_type)


def _template_content_type(handle) -> str:
    """The type sniffed from the content, never guessed from the name; anything else (a file stored before uploads
    were checked) goes out as plain bytes, and `nosniff` stops the browser from guessing either."""
    file_type = sniff_file_type(handle)
    return MIME_BY_FILE_TYPE[file_type] if file_type in TEMPLATE_FILE_TYPES else "application/octet-stream"
