"""Rating a dossier: on the applicant's own dossier page (the panel posts here) or at the kiosk with the dossier's
code and the public lookup's second factor. An officer is refused in both places."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dossiers import selectors as dossier_selectors
from dossiers.lookup import LookupQuery, LookupRefused, lookup_attempt
from portal import ratelimit

from . import services
from .constants import RatingSource
from .forms import KioskRatingForm, RatingForm

THANKS = gettext_lazy("Cảm ơn bạn đã đánh giá. Ý kiến của bạn giúp cơ quan phục vụ tốt hơn.")


def _refuse_officers(request) -> None:
    if request.user.is_authenticated and request.user.handles_dossiers:
        raise PermissionDenied


@login_required
@require_POST
def rate_my_dossier(request, pk: int):
    _refuse_officers(request)
    dossier = dossier_selectors.dossier_get_for_applicant(user=request.user, pk=pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return render(request, "reporting/rate.html", {"form": form, "dossier": dossier}, status=400)
    try:
        services.rating_submit(
            dossier=dossier,
            level=form.cleaned_data["level"],
            comment=form.cleaned_data["comment"],
            source=RatingSource.DOSSIER_PAGE,
        )
    except services.RatingRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, str(THANKS))
    return redirect(reverse("dossiers:my-dossier", args=[dossier.pk]))


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_rating(request):
    """Code and second factor as the public lookup takes them (its limits count every attempt), then the rating."""
    _refuse_officers(request)
    if request.method == "GET":
        return render(request, "reporting/kiosk_rating.html", {"form": KioskRatingForm()})
    form = KioskRatingForm(request.POST)
    valid = form.is_valid()
    query = (
        LookupQuery(code=form.cleaned_data["code"], second_factor=form.cleaned_data["second_factor"]) if valid else None
    )
    try:
        found = lookup_attempt(client=ratelimit.client_address(request), query=query)
    except LookupRefused as refused:
        message = _("Bạn đã thử quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau %(minutes)d phút.") % {
            "minutes": max(1, refused.retry_after // 60)
        }
        response = render(request, "reporting/kiosk_rating.html", {"form": form, "message": message}, status=429)
        response["Retry-After"] = str(refused.retry_after)
        return response
    if not valid:
        return render(request, "reporting/kiosk_rating.html", {"form": form}, status=400)
    if found is None:
        message = _("Không tìm thấy hồ sơ phù hợp với thông tin đã nhập.")
        return render(request, "reporting/kiosk_rating.html", {"form": form, "message": message}, status=404)
    try:
        services.rating_submit_at_kiosk(
            dossier_code=found.code, level=form.cleaned_data["level"], comment=form.cleaned_data["comment"]
        )
    except services.RatingRefused as refused:
        return render(request, "reporting/kiosk_rating.html", {"form": form, "message": refused.message}, status=409)
    return render(request, "reporting/kiosk_rating.html", {"form": KioskRatingForm(), "thanks": THANKS})
