"""What the lookup page shows, read from its HTML (the page is printed from a frame, not always rendered by the
templates, so a test reads the answer the visitor sees rather than the templates' context)."""

import re


def shown_code(response) -> str | None:
    """The code of the dossier whose answer the page shows, or None when it shows none."""
    match = re.search(r'<span class="code lookup-result__code">([^<]*)</span>', response.content.decode())
    return match.group(1) if match else None


def shown_status(response) -> str | None:
    """The status (its value) of the dossier the page shows, or None."""
    match = re.search(r'class="lookup-status lookup-status--([a-z_]+)"', response.content.decode())
    return match.group(1) if match else None


def timeline_labels(response) -> list[str]:
    return re.findall(r'<span class="lookup-timeline__label">([^<]*)</span>', response.content.decode())
