"""E-mail backends of local development."""

import logging

from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)


class SummaryEmailBackend(BaseEmailBackend):
    """Sends nothing: logs one line per message, its recipients and subject (config/settings/local.py). The
    demo of `make run` notifies people at every step of eight dossiers; Django's console backend would print
    each message whole, MIME headers and encoded body included."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            logger.info("E-mail to %s: %s", ", ".join(message.recipients()), message.subject)
        return len(email_messages)
