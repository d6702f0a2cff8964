"""Writes about people: registration, officers, roles."""

from django.contrib.auth import user_logged_in
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from .constants import OFFICER_ROLES, ApplicantType, Role
from .models import User
from .validators import normalize_tax_code


@transaction.atomic
def user_register(
    *,
    email: str,
    password: str,
    full_name: str,
    phone: str = "",
    applicant_type: int = ApplicantType.CITIZEN,
    citizen_id: str | None = None,
    tax_code: str | None = None,
    organization_name: str = "",
) -> User:
    """Create an applicant account (a citizen or an enterprise) with the citizen role."""
    user = User(
        email=User.objects.normalize_email(email).lower(),
        full_name=full_name.strip(),
        phone=phone.strip(),
        applicant_type=applicant_type,
        citizen_id=citizen_id or None,
        tax_code=normalize_tax_code(tax_code) if tax_code else None,
        organization_name=organization_name.strip(),
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=Role.CITIZEN))
    return user


@transaction.atomic
def user_create_officer(*, email: str, password: str, full_name: str, agency, role: Role, phone: str = "") -> User:
    """Create an officer of one agency with one role; agency administrators may use the admin site."""
    if role not in OFFICER_ROLES:
        raise ValidationError(_("Vai trò cán bộ không hợp lệ."))
    user = User(
        email=User.objects.normalize_email(email).lower(),
        full_name=full_name.strip(),
        phone=phone.strip(),
        applicant_type=ApplicantType.STATE_AGENCY,
        agency=agency,
        is_staff=role == Role.AGENCY_ADMIN,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


@transaction.atomic
def api_token_obtain(*, request, user) -> Token:
    """The user's API token (created on first use); records the sign-in as the sign-in page does, which
    also clears django-axes' failure count for the user."""
    token, _created = Token.objects.get_or_create(user=user)
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return token


@transaction.atomic
def api_token_revoke(*, user) -> None:
    Token.objects.filter(user=user).delete()
