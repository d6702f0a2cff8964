"""Reads of dossiers. Every read takes the user, so scoping happens in `access` and nowhere else: an
applicant sees its own dossiers, an officer its agency's; "missing" and "not yours" answer the same 404.

Callers import this package: `from dossiers import selectors; selectors.queue_counts(...)`. The deadline marks
pages show (`due_state`, `due_soon_horizon`, `step_timeliness`) are defined in `dossiers.deadlines` and
offered here too, beside the queues they mark.
"""

from ..deadlines import due_soon_horizon, due_state, step_timeliness
from .access import (
    document_get_for_download,
    dossier_documents,
    dossier_documents_for_user,
    dossier_get_for_agency_officer,
    dossier_get_for_applicant,
    dossier_get_for_user,
    dossier_get_for_workbench,
    dossier_visible_to,
    officer_scope,
    user_is_dossier_officer,
    workbench_scope,
)
from .applicant import (
    dossier_draft_for_applicant,
    dossier_drafts_for_applicant,
    dossier_list_for_applicant,
    pending_uploads_for,
    supplement_items_for,
)
from .issued import issued_documents_for
from .queues import (
    Queue,
    dossier_filter,
    dossier_filter_overdue,
    dossier_queue_for_officer,
    procedure_get_for_intake,
    procedures_for_intake,
    procedures_for_officer,
    processing_officers_for_agency,
    queue_counts,
    queues_for_officer,
    queue_row_values,
    queue_rows,
)
from .records import (
    ControlSheetRow,
    ReceivedComponent,
    dossier_control_sheet,
    dossier_last_event,
    dossier_received_components,
    dossier_supplement_requests,
    dossier_timeline,
    supplement_request_latest,
)
from .results import (
    Finding,
    Verification,
    WalletItem,
    read_pdf_for_verification,
    result_get_for_download,
    results_for_dossier,
    verify_pdf,
    verify_result_code,
    wallet_item_get,
    wallet_items_for,
)
from .timeline import TimelineEntry, dossier_timeline_for

__all__ = [
    "ControlSheetRow",
    "Finding",
    "Queue",
    "ReceivedComponent",
    "TimelineEntry",
    "Verification",
    "WalletItem",
    "document_get_for_download",
    "dossier_control_sheet",
    "dossier_documents",
    "dossier_documents_for_user",
    "dossier_draft_for_applicant",
    "dossier_drafts_for_applicant",
    "dossier_filter",
    "dossier_filter_overdue",
    "dossier_get_for_agency_officer",
    "dossier_get_for_applicant",
    "dossier_get_for_user",
    "dossier_get_for_workbench",
    "dossier_last_event",
    "dossier_list_for_applicant",
    "pending_uploads_for",
    "supplement_items_for",
    "dossier_queue_for_officer",
    "dossier_received_components",
    "dossier_supplement_requests",
    "dossier_timeline",
    "dossier_timeline_for",
    "dossier_visible_to",
    "due_soon_horizon",
    "due_state",
    "issued_documents_for",
    "officer_scope",
    "procedure_get_for_intake",
    "procedures_for_intake",
    "procedures_for_officer",
    "processing_officers_for_agency",
    "queue_counts",
    "queues_for_officer",
    "read_pdf_for_verification",
    "queue_row_values",
    "queue_rows",
    "result_get_for_download",
    "results_for_dossier",
    "step_timeliness",
    "supplement_request_latest",
    "user_is_dossier_officer",
    "verify_pdf",
    "verify_result_code",
    "wallet_item_get",
    "wallet_items_for",
    "workbench_scope",
]
