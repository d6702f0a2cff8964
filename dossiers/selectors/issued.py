"""Which documents the portal has issued for a dossier: the one rule that the applicant's page, the
officer's page and the document download all follow."""

from collections.abc import Sequence

from ..constants import DossierStatus, IssuedDocument
from ..models import Dossier, SupplementRequest


def issued_documents_for(
    *, dossier: Dossier, supplement_requests: Sequence[SupplementRequest] | None = None
) -> list[IssuedDocument]:
    """The documents issued so far, in the order of `IssuedDocument`: the receipt once received, the
    supplement request once one was made, the refusal when refused, the apology once apologised.

    `supplement_requests`: the dossier's requests when the caller has them already; else one query."""
    if supplement_requests is None:
        has_request = dossier.supplement_requests.exists()
    else:
        has_request = bool(supplement_requests)
    applies = {
        IssuedDocument.RECEIPT: dossier.received_at is not None,
        IssuedDocument.SUPPLEMENT_REQUEST: has_request,
        IssuedDocument.REFUSAL: dossier.status == DossierStatus.REFUSED,
        IssuedDocument.APOLOGY: dossier.apologized_at is not None,
    }
    return [kind for kind in IssuedDocument if applies[kind]]
