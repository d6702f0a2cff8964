"""Production: everything secure by default; secrets only from the environment."""

import os
from pathlib import Path

from cryptography import x509
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

MIN_SECRET_KEY_LENGTH = 50

if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("Set DATABASE_URL to the PostgreSQL database in production.")
# Sessions, password-reset links and signed values all rest on the secret key: refuse none at all, the
# placeholder of .env.example and anything short enough to guess.
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        f"Set DJANGO_SECRET_KEY to a random value of {MIN_SECRET_KEY_LENGTH} characters or more, e.g. from: "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )
if SECRET_KEY.startswith("change-me"):  # noqa: F405
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is still the placeholder from .env.example; set a random value of 50 characters or "
        "more, e.g. from: python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )
if len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH:  # noqa: F405
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is too short ({len(SECRET_KEY)} characters); set a random value of "  # noqa: F405
        f"{MIN_SECRET_KEY_LENGTH} characters or more, e.g. from: python -c 'import secrets; "
        "print(secrets.token_urlsafe(64))'"
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# The load balancer probes each node over plain HTTP on the private network (deploy/haproxy.cfg); redirected, every
# probe would read 301 and every node would be marked down.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
# HSTS for this host only, by default. includeSubDomains would force HTTPS on every subdomain of the
# portal's domain (often the province's shared gov.vn domain, with HTTP-only sites of other offices), and
# preload is a near-permanent entry in browsers' lists: both are the domain owner's decision, made once every
# subdomain serves HTTPS, so they are opt-in. Django's deployment check warns when they are off (W005, W021);
# with the operator's choice recorded here, those two warnings are silenced only while the option is off.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}  # noqa: F405

# Payments: the sandboxes are for local development and tests only; an enabled provider has its own merchant code,
# secret and addresses (docs/payments.md, the README).
if SANDBOXES_MOUNTED or any(app.startswith("sandboxes") for app in INSTALLED_APPS):  # noqa: F405
    raise ImproperlyConfigured("The sandboxes (sandboxes/) are for local development and tests, never production.")
if "vnpost" in POSTAL_CARRIERS:  # noqa: F405
    _postal_missing = [name for name in ("CUSTOMER_CODE", "API_TOKEN", "WEBHOOK_SECRET", "API_URL") if not VNPOST[name]]  # noqa: F405
    if _postal_missing:
        raise ImproperlyConfigured(
            f"VNPost is enabled (POSTAL_CARRIERS): set VNPOST_{', VNPOST_'.join(_postal_missing)}."
        )
    if "/sandbox/" in VNPOST["API_URL"]:  # noqa: F405
        raise ImproperlyConfigured("VNPOST_API_URL points at the sandbox carrier; set VNPost's.")
if "vnpay" in PAYMENT_PROVIDERS:  # noqa: F405
    _names = ("TMN_CODE", "HASH_SECRET", "PAYMENT_URL", "API_URL")
    _missing = [f"VNPAY_{name}" for name in _names if not VNPAY[name]]  # noqa: F405
    if _missing:
        raise ImproperlyConfigured(f"VNPay is enabled (PAYMENT_PROVIDERS): set {', '.join(_missing)}.")
    if any("/sandbox/" in VNPAY[name] for name in ("PAYMENT_URL", "API_URL")):  # noqa: F405
        raise ImproperlyConfigured("VNPAY_PAYMENT_URL and VNPAY_API_URL point at the sandbox bank; set VNPay's.")

# Electronic results: the demo signer and the demo root (config/settings/signing_demo.py) are for local development
# and the tests; every trust root must be readable, and none may be the demo's (its subject carries the marker).
if RESULT_SIGNER.startswith("dossiers.signing.demo"):  # noqa: F405
    raise ImproperlyConfigured("RESULT_SIGNER is the demo signer; production signs with the agencies' own keys.")


def _subjects(data: bytes) -> list[str]:
    """The subjects of the certificates in a PEM or DER file."""
    if b"-----BEGIN" in data:
        return [certificate.subject.rfc4514_string() for certificate in x509.load_pem_x509_certificates(data)]
    return [x509.load_der_x509_certificate(data).subject.rfc4514_string()]


for _root_path in RESULT_SIGNING_TRUST_ROOTS:  # noqa: F405
    try:
        _root_subjects = _subjects(Path(_root_path).read_bytes())
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(f"RESULT_SIGNING_TRUST_ROOTS: cannot read {_root_path} ({error}).") from None
    if any(RESULT_SIGNING_DEMO_MARKER in subject for subject in _root_subjects):  # noqa: F405
        raise ImproperlyConfigured(
            f"RESULT_SIGNING_TRUST_ROOTS: {_root_path} is the demo root, which signs nothing real; trust the roots "
            "of the agencies' certificate authority."
        )
