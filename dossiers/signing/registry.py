"""The signer the settings name: `RESULT_SIGNER`, the dotted path of a `ResultSigner` class (a PKCS#12 file per agency
by default; docs/signing.md says how a hardware token or a remote signing service takes its place)."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import ResultSigner


@cache
def _signer(path: str) -> ResultSigner:
    return import_string(path)()


def result_signer() -> ResultSigner:
    return _signer(settings.RESULT_SIGNER)
