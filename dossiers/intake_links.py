"""What other apps attach to a paper dossier when reception records it at intake (the postal app: the pickup order
the post collected it with), while dossiers imports none of them. An app registers an `IntakeLink` in its
AppConfig.ready(); the intake page prints each link's field inside its form, reads the officer's choice before
anything is written, and has the intake service run each chosen link inside its transaction once the dossier is
received, so a link refused there (someone linked it first) undoes the whole intake."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class IntakeChoice:
    """What a link read in the officer's input: the thing to attach, and the tracking number of the parcel the paper
    dossier came in when the choice names it (the officer need not type it)."""

    value: object
    tracking_number: str = ""


@dataclass(frozen=True)
class IntakeLink:
    # field(request=, officer=, data=) -> the HTML of its inputs ("" when there is nothing to offer); `data`: the
    # values posted, to show again, or None.
    field: Callable[..., str]
    # clean(officer=, data=) -> an IntakeChoice, or None when nothing was chosen; ValidationError in the officer's
    # words for a choice that cannot be.
    clean: Callable[..., IntakeChoice | None]
    # link(dossier=, officer=, value=), in the intake's transaction after the dossier is received.
    link: Callable[..., None]


_links: list[IntakeLink] = []


def register_intake_link(link: IntakeLink) -> None:
    if link not in _links:
        _links.append(link)


def intake_link_fields(*, request, officer, data) -> list[str]:
    return [html for link in _links if (html := link.field(request=request, officer=officer, data=data))]


def intake_links_clean(*, officer, data) -> list[tuple[IntakeLink, IntakeChoice]]:
    """The officer's choices; one ValidationError with every link's messages when any is refused."""
    choices, messages = [], []
    for link in _links:
        try:
            choice = link.clean(officer=officer, data=data)
        except ValidationError as error:
            messages.extend(error.messages)
        else:
            if choice is not None:
                choices.append((link, choice))
    if messages:
        raise ValidationError(messages)
    return choices


def intake_parcel_number(choices) -> str:
    """The tracking number a choice gives the paper dossier's parcel, or ""."""
    return next((choice.tracking_number for _link, choice in choices if choice.tracking_number), "")


def intake_attachments(choices, *, officer) -> list[Callable[..., None]]:
    """What `dossier_record_intake(after_receipt=...)` runs, each called with the received dossier."""
    return [partial(link.link, officer=officer, value=choice.value) for link, choice in choices]
