"""SMS behind a small interface; the configured backend is settings.SMS_BACKEND (a dotted path).

A backend that talks to a carrier must bound its network calls with a timeout (as EMAIL_TIMEOUT bounds
SMTP): the outbox relay sends one message at a time and a hung call would hold up the rest of its batch.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def mask_phone(phone: str) -> str:
    """A phone number fit for a log: all but the last three characters hidden."""
    return "*" * max(len(phone) - 3, 0) + phone[-3:]


class LogSmsBackend:
    """Writes messages to the log: for development, tests and until a carrier contract exists. Logs are
    kept and shipped, so outside DEBUG they get a masked number and the message's length, not its text
    (dossier codes, names, results are personal data)."""

    def send(self, *, phone: str, text: str) -> None:
        if settings.DEBUG:
            logger.info("SMS to %s: %s", phone, text)
        else:
            logger.info("SMS to %s (%d characters)", mask_phone(phone), len(text))


def send_sms(*, phone: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(phone=phone, text=text)
