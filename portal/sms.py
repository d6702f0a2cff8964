"""SMS behind a small interface; the configured backend is settings.SMS_BACKEND (a dotted path)."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class LogSmsBackend:
    """Writes messages to the log: for development, tests and until a carrier contract exists."""

    def send(self, *, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


def send_sms(*, phone: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(phone=phone, text=text)
