"""The drills' mail and SMS carriers: every delivery the outbox relay makes, from any process (gunicorn, Celery
workers), appended as one JSON line to the file named by the DRILL_MAILBOX environment variable, so a drill
counts what was delivered and how often. One `os.write` per line on a file opened with O_APPEND: lines from
several processes never interleave. DRILL_SEND_SECONDS (default 0) makes each delivery take that long, as a
real mail server does, so that a worker can be killed in the middle of a relay."""

import json
import os
import time

from django.core.mail.backends.base import BaseEmailBackend


def _deliver(entry: dict) -> None:
    time.sleep(float(os.environ.get("DRILL_SEND_SECONDS", "0")))
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode()
    descriptor = os.open(os.environ["DRILL_MAILBOX"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)


class DrillMailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            _deliver({"channel": "email", "to": message.to, "subject": message.subject, "body": message.body})
        return len(email_messages)


class DrillSmsBackend:
    def send(self, *, phone: str, text: str) -> None:
        _deliver({"channel": "sms", "to": [phone], "subject": "", "body": text})


def deliveries(path) -> list[dict]:
    """Every delivery recorded in the mailbox file at `path` (none when it does not exist yet)."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as mailbox:
        return [json.loads(line) for line in mailbox if line.strip()]


def delivery_key(entry: dict) -> tuple:
    """What identifies one notification: the same channel, recipient, subject and text twice is a duplicate."""
    return entry["channel"], tuple(entry["to"]), entry["subject"], entry["body"]
