"""The applicant's document wallet ("Kho dữ liệu"): its electronic results and the files it uploaded before, each
downloadable, and reusable when it applies again (the application page offers them per component)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from .. import selectors


@login_required
@require_safe
def wallet(request):
    items = selectors.wallet_items_for(user=request.user)
    return render(
        request,
        "dossiers/wallet/wallet.html",
        {
            "results": [item for item in items if item.is_result],
            "documents": [item for item in items if not item.is_result],
        },
    )


urlpatterns = [path("kho-du-lieu/", wallet, name="wallet")]
