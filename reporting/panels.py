"""The rating panel on the applicant's dossier page (registered with dossiers.panels in ReportingConfig.ready): the
form once the result was handed back, a thank-you once rated, nothing before (and no query)."""

from django.template.loader import render_to_string

from . import services
from .forms import RatingForm


def applicant_rating_panel(*, request, dossier) -> str:
    if not services.dossier_can_be_rated(dossier) or request.user.handles_dossiers:
        return ""
    return render_to_string(
        "reporting/panels/rating.html",
        {"dossier": dossier, "rated": services.rating_exists(dossier=dossier), "form": RatingForm()},
        request=request,
    )
