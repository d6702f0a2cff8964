"""The rows of an officer queue's table, rendered in Python.

A page shows 25 rows of about 35 template nodes each: through the template engine they were half of the page's
rendering, here a fifth of it (docs/performance.md, issue 12). The markup is the one the table's header in
dossiers/officer/workbench.html goes with. Each row's values are escaped with `_e` (`html.escape`, as Django's
`escape` does, without its lazy-text wrapper: 400 values a page), the words the template translated once per page
(escaped by `{% translate … as %}` already) with `conditional_escape`.
"""

from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from ..constants import DossierStatus

register = template.Library()

# What the template translated once for the page (`{% translate … as name %}`): the column names, each cell's
# data-label, and the tags.
PAGE_WORDS = (
    "col_code",
    "col_applicant",
    "col_procedure",
    "col_channel",
    "col_status",
    "col_fee",
    "col_submitted",
    "col_due",
    "col_assignee",
    "overdue_tag",
    "due_soon_tag",
    "paused_tag",
    "unassigned_tag",
    "take_label",
)
DASH = '<span class="muted">–</span>'


def _e(value) -> str:
    """`value` as the template would print it: its text, escaped (Django's `escape` is `html.escape` of `str`)."""
    return escape(str(value))


@register.simple_tag(takes_context=True)
def queue_table_rows(context, rows: list[dict]) -> SafeString:
    """The table's rows (`selectors.queue_rows` with the view's links), with the template's `PAGE_WORDS`, a
    checkbox per online dossier when `bulk_receive`, and the claim form of an unassigned dossier being processed
    when `claims`."""
    # Escaped already by `{% translate … as %}`: printed as they are, as `{{ col_code }}` would.
    words = {name: conditional_escape(context[name]) for name in PAGE_WORDS}
    page = {
        "bulk_receive": context["bulk_receive"],
        "online_channel": context["online_channel"],
        "claims": context["claims"],
        "csrf_token": conditional_escape(context["csrf_token"]),
    }
    return mark_safe("".join(_row(row, words, page) for row in rows))  # noqa: S308 - every value escaped


def _row(row: dict, w: dict, page: dict) -> str:
    pk = _e(row["id"])
    due_state = _e(row["due_state"])
    pick = ""
    if page["bulk_receive"]:
        pick = (
            f'<td class="queue-table__pick"><input type="checkbox" name="ho_so" value="{pk}" form="bulk-receive"'
            f' aria-label="{_e(row["pick_label"])}"></td>'
            if row["channel"] == page["online_channel"]
            else '<td class="queue-table__pick"></td>'
        )
    fee_status = _e(row["fee_status"])
    fee = f'<span class="tag">{_e(row["fee_status_label"])}</span>' if row["fee_status"] else DASH
    return (
        f'<tr class="queue-row{f" queue-row--{due_state}" if due_state else ""}" data-dossier="{pk}">{pick}'
        f'<th scope="row" class="table__title" data-label="{w["col_code"]}">'
        f'<a class="code" href="{_e(row["url"])}">{_e(row["code"])}</a></th>'
        f'<td data-label="{w["col_applicant"]}">{_e(row["applicant_name"])}</td>'
        f'<td class="queue-table__procedure" data-label="{w["col_procedure"]}">{_e(row["procedure_name"])}'
        f'<span class="table__sub">{_e(row["procedure_code"])}</span></td>'
        # The channel under the status: one column less, so the table fits a 1366 px screen.
        f'<td data-label="{w["col_status"]}"><span class="status status--{_e(row["status"])}">'
        f"{_e(row['status_label'])}</span>"
        f'<span class="table__sub" data-label-channel="{w["col_channel"]}">{_e(row["channel_label"])}</span></td>'
        f'<td class="queue-table__fee" data-label="{w["col_fee"]}" data-fee="{fee_status}">{fee}</td>'
        f'<td class="queue-table__submitted" data-label="{w["col_submitted"]}">{_e(row["submitted_at_text"])}</td>'
        f'<td class="queue-table__due" data-label="{w["col_due"]}">{_due(row, due_state, w)}</td>'
        f'<td class="queue-table__assignee" data-label="{w["col_assignee"]}">{_assignee(row, w, page)}</td>'
        "</tr>\n"
    )


def _due(row: dict, due_state: str, w: dict) -> str:
    if not row["due_at"]:
        return f'<span class="muted">{w["paused_tag"]}</span>' if row["paused_at"] else DASH
    tag = ""
    if due_state == "overdue":
        tag = f'<span class="tag tag--required">{w["overdue_tag"]}</span>'
    elif due_state == "due_soon":
        tag = f'<span class="tag tag--soon">{w["due_soon_tag"]}</span>'
    time_left = f'<span class="table__sub" data-time-left>{_e(row["time_left"])}</span>' if row["time_left"] else ""
    due_class = f" due--{due_state}" if due_state else ""
    return f'<span class="due{due_class}">{_e(row["due_at_text"])}</span>{tag}{time_left}'


def _assignee(row: dict, w: dict, page: dict) -> str:
    if row["assignee_name"]:
        return _e(row["assignee_name"])
    unassigned = f'<span class="muted">{w["unassigned_tag"]}</span>'
    if not (page["claims"] and row["status"] == DossierStatus.PROCESSING):
        return unassigned
    return (
        f'{unassigned}<form method="post" action="{_e(row["take_url"])}" class="claim-form">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{page["csrf_token"]}">'
        f'<button class="button button--small" type="submit">{w["take_label"]}</button></form>'
    )
