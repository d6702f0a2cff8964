"""Whether a dossier's result is with the post, as the desk's hand-back asks for it while dossiers imports no
carrier: the postal app registers its check in its AppConfig.ready() (as it registers its postage quoter in
dossiers.postage). Without one, no result is ever with the post."""

from collections.abc import Callable

ResultWithPost = Callable[..., bool]
_check: list[ResultWithPost] = []


def register_result_with_post(check: ResultWithPost) -> None:
    _check[:] = [check]


def result_with_post(*, dossier) -> bool:
    """True while a parcel of `dossier`'s result is queued for or held by the carrier (not returned, not cancelled):
    the result is no longer at the desk."""
    return bool(_check) and _check[0](dossier=dossier)
