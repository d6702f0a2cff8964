"""Local development (`manage.py` and `make run`): DEBUG on unless DJANGO_DEBUG says otherwise.

Production runs config.settings.production (the WSGI default), where DEBUG is refused.
"""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_DEBUG", "1")

from .base import *  # noqa: E402, F403
from .sandboxes import *  # noqa: E402, F403
from .signing_demo import demo_signing  # noqa: E402

globals().update(demo_signing(BASE_DIR / ".signing-demo"))  # noqa: F405

if not SECRET_KEY:  # noqa: F405 (DJANGO_DEBUG=0 and no key)
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY, or unset DJANGO_DEBUG for local development.")

# The demo (`make run` walks dossiers through the workflow) notifies people at every step: one log line per
# e-mail (recipient and subject), as portal.sms.LogSmsBackend writes one per SMS, not the whole message.
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "portal.mail.SummaryEmailBackend")
