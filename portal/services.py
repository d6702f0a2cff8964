"""Writes about people: registration, officers, roles, passwords and their reset, API tokens."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import user_logged_in
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .constants import OFFICER_ROLES, ApplicantType, Role
from .models import ApiToken, Notification, OutboxMessage, SignIn, User
from .notifications import outbox_enqueue
from .ratelimit import client_address, failures_reached, hit, record_failure
from .validators import normalize_phone, normalize_tax_code, validate_phone

RESET_MAILS_SCOPE = "reset-mails-per-email"
PASSWORD_RESET_WINDOW_SECONDS = 3600
# Tokens one user keeps at once; obtaining one more drops the oldest (a script that asks for a token on
# every run must not pile up live keys).
API_TOKENS_PER_USER = 10


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
def user_password_set(*, user: User, password: str | None) -> User:
    """Set a new password (None: password sign-in disabled) and revoke every API token of the user: a
    token must not outlive the password that obtained it. The user's sessions elsewhere end by themselves
    (Django checks each session against the password hash). Every place that sets the password of an
    existing account calls this: the reset link and the admin's password change."""
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    ApiToken.objects.filter(user=user).delete()
    return user


@transaction.atomic
def password_reset_request(*, email: str, domain: str, use_https: bool) -> None:
    """Queue a reset link in the outbox for the active account with this e-mail (sent by the relay after
    commit, never inside the request). Nothing is queued for an unknown e-mail, for an account without a
    usable password, or beyond PASSWORD_RESET_ACCOUNT_LIMIT requests per e-mail and hour, so nobody can
    flood a mailbox. The caller answers the same in every case: whether an account exists is not told."""
    email = User.objects.normalize_email(email).lower()
    # Counted per e-mail whether or not an account has it, so the limit itself tells nothing either; keyed by
    # a keyed hash, so the cache holds no list of addresses (nor one a dictionary could rebuild).
    if not hit(
        scope=RESET_MAILS_SCOPE,
        key=salted_hmac(RESET_MAILS_SCOPE, email).hexdigest(),
        limit=settings.PASSWORD_RESET_ACCOUNT_LIMIT,
        window_seconds=PASSWORD_RESET_WINDOW_SECONDS,
    ):
        return
    for user in User.objects.filter(email__iexact=email, is_active=True):
        if not user.has_usable_password():
            continue
        context = {
            "user": user,
            "email": user.email,
            "domain": domain,
            "protocol": "https" if use_https else "http",
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        }
        # In the portal's language, as every notification (decisions.md).
        with translation.override(settings.LANGUAGE_CODE):
            subject = "".join(render_to_string("registration/password_reset_subject.txt", context).splitlines())
            body = render_to_string("registration/password_reset_email.txt", context)
        outbox_enqueue(channel=OutboxMessage.Channel.EMAIL, recipient=user.email, subject=subject, body=body)


@transaction.atomic
def api_token_obtain(*, request, user: User, name: str = "") -> tuple[ApiToken, str]:
    """`api_token_create` for a client that signed in with the password: records the sign-in as the sign-in page
    does, which also clears django-axes' failure count for the user."""
    token, key = api_token_create(user=user, name=name)
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return token, key


@transaction.atomic
def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new API token for the user, valid API_TOKEN_LIFETIME_HOURS: the row and the key, which exists only
    in this answer (the row keeps its SHA-256). The user's expired tokens are deleted and, beyond
    API_TOKENS_PER_USER, the oldest ones."""
    if len(name.strip()) > ApiToken._meta.get_field("name").max_length:
        raise ValidationError(_("Tên gợi nhớ dài tối đa 100 ký tự."))
    # One obtain at a time per user, so the count of tokens it keeps holds.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    now = timezone.now()
    ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        key_digest=ApiToken.digest_of(key),
        last_four=key[-4:],
        expires_at=now + timedelta(hours=settings.API_TOKEN_LIFETIME_HOURS),
    )
    beyond_limit = ApiToken.objects.filter(user=user).values_list("pk", flat=True)[API_TOKENS_PER_USER:]
    ApiToken.objects.filter(pk__in=list(beyond_limit)).delete()
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    token.delete()


# --- the portal's notifications ------------------------------------------------------------------


def notification_post(*, user_id: int, subject: str, body: str = "", link: str = "") -> Notification:
    """Tell the user on its notifications page, in the caller's transaction (beside the outbox's e-mail and SMS);
    the user's unread count goes up with it."""
    notification = Notification.objects.create(user_id=user_id, subject=subject[:255], body=body, link=link[:255])
    User.objects.filter(pk=user_id).update(unread_notifications=F("unread_notifications") + 1)
    return notification


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> None:
    """Mark one notification read; a second time changes nothing (nor does the count go down twice)."""
    if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now()):
        User.objects.filter(pk=notification.user_id, unread_notifications__gt=0).update(
            unread_notifications=F("unread_notifications") - 1
        )


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    """Mark every notification of the user read; returns how many were unread."""
    # The user's row first: a notification posted meanwhile waits, so the count set below stays exact.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    marked = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    User.objects.filter(pk=user.pk).update(unread_notifications=0)
    return marked


# --- the account page ----------------------------------------------------------------------------

SIGN_INS_KEPT = 50


def sign_in_record(*, user: User, request) -> SignIn:
    """Record a sign-in (the `user_logged_in` signal: the sign-in page, an API token obtained with the password);
    only the user's latest SIGN_INS_KEPT are kept."""
    address = client_address(request) if request is not None else "unknown"
    sign_in = SignIn.objects.create(
        user=user,
        ip_address=None if address == "unknown" else address,
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:255],
    )
    older = SignIn.objects.filter(user=user).values_list("pk", flat=True)[SIGN_INS_KEPT:]
    SignIn.objects.filter(pk__in=list(older)).delete()
    return sign_in


ACCOUNT_REAUTH_SCOPE = "account-reauth"


def account_password_check(*, user: User, password: str) -> bool:
    """Whether `password` is the signed-in user's own, for the account page's changes (the e-mail, the password).
    django-axes guards only the sign-in page, so these checks have their own lock-out, per user and as strict:
    after AXES_FAILURE_LIMIT wrong passwords, for AXES_COOLOFF_TIME after the last one, the check is refused
    (ValidationError) without looking at the password, right or wrong. Redis down: RateLimitUnavailable (503)."""
    if failures_reached(scope=ACCOUNT_REAUTH_SCOPE, key=str(user.pk), limit=settings.AXES_FAILURE_LIMIT):
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds()) // 60
        raise ValidationError(
            _("Bạn đã nhập sai mật khẩu quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút."),
            code="password_attempts",
            params={"minutes": minutes},
        )
    if user.check_password(password):
        return True
    record_failure(
        scope=ACCOUNT_REAUTH_SCOPE,
        key=str(user.pk),
        window_seconds=int(settings.AXES_COOLOFF_TIME.total_seconds()),
    )
    return False


@transaction.atomic
def user_update_contact(*, user: User, email: str, phone: str) -> User:
    """Change the account's e-mail (also its sign-in name) and phone; an e-mail another account has is refused,
    also when that account takes it between the check and the save. A changed e-mail is told to the old address
    (through the outbox): if someone else changed it, the owner learns of it where they still read."""
    email = User.objects.normalize_email(email.strip()).lower()
    phone = normalize_phone(phone.strip())
    if phone:
        validate_phone(phone)
    taken = ValidationError({"email": _("Thư điện tử này đã được dùng cho một tài khoản khác.")})
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise taken
    validate_email(email)
    old_email, old_phone = user.email, user.phone
    user.email, user.phone = email, phone
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "phone", "updated_at"])
    except IntegrityError as error:  # the unique e-mail, taken by another account since the check above
        user.email, user.phone = old_email, old_phone
        raise taken from error
    if email != old_email:
        with translation.override(settings.LANGUAGE_CODE):  # in the portal's language, as every notification
            subject = _("Thư điện tử đăng nhập của bạn đã được thay đổi")
            body = _(
                "Thư điện tử dùng để đăng nhập tài khoản của bạn trên cổng dịch vụ công đã được đổi từ "
                "%(old)s sang %(new)s. Nếu không phải bạn đổi, hãy liên hệ bộ phận hỗ trợ ngay."
            ) % {"old": old_email, "new": email}
        outbox_enqueue(channel=OutboxMessage.Channel.EMAIL, recipient=old_email, subject=subject, body=body)
    return user
