"""A service's refusal on a page: the words a person reads, never an error page. (The API answers the same
refusals through one exception handler, portal/api_errors.py.)"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import ValidationError

from ..workflow import TransitionNotAllowed

# What a service raises when it refuses: the workflow (status, role, guard) or a value.
REFUSALS = (TransitionNotAllowed, ValidationError)


def refusal_text(refusal: TransitionNotAllowed | ValidationError) -> str:
    return " ".join(refusal.messages)


@contextmanager
def refusals_as_messages(request) -> Iterator[None]:
    """Run the block; a refusal ends it with an error message for the next page the view answers. Put it
    outside the service's transaction (every service opens its own), so nothing of the refused call stays."""
    try:
        yield
    except REFUSALS as refusal:
        messages.error(request, refusal_text(refusal))
