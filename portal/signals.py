"""Receivers of Django's signals that the portal listens to (connected in `PortalConfig.ready`)."""

from .services import sign_in_record


def record_sign_in(sender, request, user, **kwargs) -> None:
    """`user_logged_in`: keep the sign-in for the account page's history."""
    sign_in_record(user=user, request=request)
