"""How the API answers an error: one exception handler (settings REST_FRAMEWORK["EXCEPTION_HANDLER"]) for every
view, so no view catches a service's exception to translate it.

Every error body carries a machine `code` beside the message for people:

- a `Refusal` of a business rule (a dossier's `TransitionNotAllowed`...): 409 `{"code": <its code>, "detail": ...}`;
- Django's `ValidationError` raised by a service: 400 `{"code": "invalid" or its own code, "detail": ...}`;
- DRF's own errors keep their bodies and gain the code: `{"code": "not_found", "detail": ...}`, and a serializer's
  field errors `{"<field>": [...], "code": "invalid"}` (a field named `code` keeps its messages under its name).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

INVALID = "invalid"


class Refusal(Exception):
    """A business rule refuses what was asked: `message` for people, `code` for programs. Apps subclass it;
    the API answers 409 Conflict."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code

    @property
    def messages(self) -> list[str]:
        """As Django's ValidationError has them, so a page shows either the same way."""
        return [self.message]


class _Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT


class _Invalid(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST


def _as_api_exception(exc: Exception) -> Exception:
    if isinstance(exc, Refusal):
        return _Conflict(exc.message, exc.code)
    if isinstance(exc, DjangoValidationError):
        # A single error's own code when it has one (`max_length`...), else "invalid".
        return _Invalid(" ".join(exc.messages), getattr(exc, "code", None) or INVALID)
    return exc


def _code_of(message) -> str:
    # DRF's messages are ErrorDetail strings that carry their code.
    return getattr(message, "code", None) or INVALID


def api_exception_handler(exc, context):
    response = exception_handler(_as_api_exception(exc), context)
    if response is None:  # not an error the API answers: a 500
        return None
    data = response.data
    if isinstance(data, list):  # a ValidationError raised with a message (or several), not per field
        response.data = {"code": _code_of(data[0]) if data else INVALID, "detail": " ".join(map(str, data))}
    elif "detail" in data:
        response.data = {"code": _code_of(data["detail"]), **data}
    else:  # a serializer's errors per field: DRF's body, with the code beside it
        response.data = {"code": INVALID, **data}
    return response
