"""The password hasher the portal signs in with (settings.PASSWORD_HASHERS lists it first)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    """argon2id at OWASP's first recommended setting: 19 MiB of memory, 2 passes, 1 lane (docs/decisions.md, "Sign-in
    on Argon2"). Django's defaults (100 MiB, 8 lanes) cost as much CPU per sign-in as PBKDF2 on this kind of host;
    memory, not CPU, is what makes guessing dear for a GPU. A hash with other parameters is rewritten at the next
    sign-in (Django's `must_update`)."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
