from django.conf import settings

from .constants import Role


def site(request):
    """What the site shell needs on every page: the province, its hotline and the signed-in user's roles."""
    user = request.user
    roles = user.role_names if user.is_authenticated else frozenset()
    return {
        "province_name": settings.PORTAL_PROVINCE_NAME,
        "hotline": settings.PORTAL_HOTLINE,
        "user_roles": roles,
        # The roles in a stable order: the site shell's menu is kept per set of roles (templates/base.html).
        "user_roles_key": ",".join(sorted(roles)),
        # What of the page's address the menu reads (which entry is current), and so its key: a yes or no, not the
        # address's text, which anyone can vary to fill the cache with copies.
        "on_approval_queue": _queue_of(request) == "awaiting_approval",
        "Role": Role,
    }


def _queue_of(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    return match.kwargs.get("queue") if match is not None else None
