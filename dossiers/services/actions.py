"""One workflow action by name: the officer page and the API dispatch through here, each with the data
its own form or serializer has cleaned."""

from collections.abc import Callable

from ..constants import Action
from ..models import Dossier
from . import applicant, office

# action: (the service, the name under which it takes the user who acts)
ACTION_SERVICES: dict[str, tuple[Callable[..., Dossier], str]] = {
    Action.SUBMIT: (applicant.dossier_submit, "applicant"),
    Action.RECEIVE: (office.dossier_receive, "officer"),
    Action.REQUEST_SUPPLEMENT: (office.dossier_request_supplement, "officer"),
    Action.SUPPLEMENT: (applicant.dossier_supplement, "user"),
    Action.REFUSE: (office.dossier_refuse, "officer"),
    Action.FORWARD: (office.dossier_forward, "officer"),
    Action.TAKE: (office.dossier_take, "officer"),
    Action.PROPOSE: (office.dossier_propose, "officer"),
    Action.APPROVE: (office.dossier_approve, "approver"),
    Action.SEND_BACK: (office.dossier_send_back, "approver"),
    Action.DELIVER: (office.dossier_deliver, "officer"),
    Action.WITHDRAW: (applicant.dossier_withdraw, "applicant"),
    Action.APOLOGIZE: (office.dossier_apologize, "officer"),
}


def perform_action(*, action: str, dossier: Dossier, user, **data) -> Dossier:
    """Call the service of `action` with `data` (the service's own keyword arguments: `note`, `reason`,
    `items`, `files`...). The service checks the transition and every value; an unknown action is a
    programming error (KeyError)."""
    service, user_argument = ACTION_SERVICES[action]
    return service(dossier=dossier, **{user_argument: user}, **data)
