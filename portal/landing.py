"""Where each person lands after signing in: where its work is. Other apps' pages are named by their URL names
(portal imports no app of dossiers or procedures)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, resolve_url

from .constants import Role


def landing_url_for(user) -> str:
    """An approver on what awaits its approval, reception officers and specialists on their desk (which opens on
    their own step's queue), an agency administrator on its agency's procedures, a system administrator without
    an agency on the administration; anyone else on the home page."""
    if user.handles_dossiers:
        if user.has_role(Role.APPROVER):
            return resolve_url("dossiers:officer-queue", "awaiting_approval")
        return resolve_url("dossiers:officer-home")
    if user.agency_id is not None and user.has_role(Role.AGENCY_ADMIN):
        return resolve_url("admin:procedures_procedure_changelist")
    if user.is_superuser:
        return resolve_url("admin:index")
    return resolve_url("home")


@login_required
def landing(request):
    return redirect(landing_url_for(request.user))
