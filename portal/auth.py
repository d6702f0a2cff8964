"""Sign-in with an e-mail address, a citizen ID (CCCD) or an enterprise tax code.

A backend of its own keeps authentication pluggable: a VNeID (OIDC) backend can be added beside it.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.db.models import Q
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from .validators import normalize_tax_code


def find_user_by_identifier(identifier: str):
    """The active user whose e-mail, CCCD or tax code is `identifier`, or None."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    User = get_user_model()
    if "@" in identifier:
        lookup = Q(email__iexact=identifier)
    else:
        lookup = Q(citizen_id=identifier) | Q(tax_code=normalize_tax_code(identifier))
    return User.objects.filter(lookup, is_active=True).first()


class EmailOrIdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username or kwargs.get(get_user_model().USERNAME_FIELD)
        user = find_user_by_identifier(username)
        if user is None:
            # Spend the time of a hash anyway, so timing does not tell which identifiers exist.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        # Every page shows an officer's agency in the header and asks the user's roles (the menus, the permission
        # checks): load them with the user, and its permissions too, not after.
        users = get_user_model()._default_manager.select_related("agency").with_roles_and_permissions()
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj, obj=None):
        read = self._permissions_read(user_obj, obj, "user_permission_ids_read")
        return super().get_user_permissions(user_obj, obj) if read is None else read

    def get_group_permissions(self, user_obj, obj=None):
        read = self._permissions_read(user_obj, obj, "group_permission_ids_read")
        return super().get_group_permissions(user_obj, obj) if read is None else read

    @staticmethod
    def _permissions_read(user_obj, obj, name: str) -> set[str] | None:
        """The names of the permissions `get_user` read with the user (`name`: which of them), as ModelBackend
        would read them; None where it reads them itself: for a user loaded otherwise (a sign-in, SQLite), an
        object's permissions, an inactive user, a superuser (who has them all)."""
        ids = getattr(user_obj, "__dict__", {}).get(name)
        if ids is None or obj is not None or not user_obj.is_active or user_obj.is_superuser:
            return None
        return permission_names(ids)


PERMISSIONS_KEPT_SECONDS = 60
_PERMISSION_NAMES_KEY = "permission-names"


def permission_names(ids) -> set[str]:
    """The names of the permissions `ids`, from this process's copy of the permissions table (settings.CACHES
    ["fragments"], in its memory), read again when it is older than PERMISSIONS_KEPT_SECONDS, when an id is not in
    it, and after a migration or a flush in this process. The rows are written by migrations, which do not rename them
    in place (a renamed model keeps its codenames): a data migration that did would reach the other processes within
    that minute, as a deploy restarts them anyway."""
    if not ids:
        return set()
    fragments = caches["fragments"]
    names = fragments.get(_PERMISSION_NAMES_KEY) or {}
    if any(id_ not in names for id_ in ids):
        rows = Permission.objects.values_list("id", "content_type__app_label", "codename")
        names = {id_: f"{app_label}.{codename}" for id_, app_label, codename in rows}
        fragments.set(_PERMISSION_NAMES_KEY, names, timeout=PERMISSIONS_KEPT_SECONDS)
    return {names[id_] for id_ in ids if id_ in names}


@receiver(post_migrate)
def forget_permissions(**kwargs) -> None:
    """Read the permissions again on next use (a migration or a flush may have written them; a test's database)."""
    caches["fragments"].delete(_PERMISSION_NAMES_KEY)


def lockout_key(request, credentials) -> str:
    """What django-axes counts failures against: the account, whichever identifier was typed.

    Without this, the e-mail, the CCCD and the tax code of one account would be three separate
    counters, tripling a guesser's attempts. Unknown identifiers are counted as typed.
    """
    typed = (credentials or {}).get("username") or getattr(request, "POST", {}).get("username", "")
    user = find_user_by_identifier(typed)
    return f"user:{user.pk}" if user is not None else (typed or "").strip().lower()
