"""Every write to a dossier. Each transition locks the row, checks the transition table, writes the
new status and an event in one transaction, and queues notifications through the outbox.

Callers import this package: `from dossiers import services; services.dossier_receive(...)`.
"""

from .applicant import (
    DELIVERY_NOT_CHANGEABLE,
    application_delivery,
    delivery_changeable,
    dossier_add_documents,
    dossier_apply,
    dossier_change_delivery,
    dossier_remove_document,
    dossier_start_draft,
    dossier_submit,
    dossier_supplement,
    dossier_update_draft,
    dossier_withdraw,
)
from .assignment import dossier_assign, dossiers_receive_each
from .core import atomic_with_files
from .fees import (
    dossier_record_payment,
    dossier_record_postage_payment,
    dossier_record_refund,
    dossier_request_payment,
)
from .intake import dossier_record_intake
from .office import (
    dossier_apologize,
    dossier_approve,
    dossier_deliver,
    dossier_forward,
    dossier_propose,
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_send_back,
    dossier_take,
)
from .pending import pending_upload_discard, pending_uploads_discard_stale, pending_uploads_keep
from .results import dossier_replace_result, dossier_revoke_result
from .supplements import supplement_reminders_send

__all__ = [
    "application_delivery",
    "atomic_with_files",
    "dossier_add_documents",
    "dossier_apply",
    "dossier_change_delivery",
    "dossier_apologize",
    "dossier_assign",
    "dossier_approve",
    "dossier_deliver",
    "dossier_forward",
    "dossier_propose",
    "dossier_receive",
    "dossier_record_intake",
    "dossier_record_payment",
    "dossier_record_postage_payment",
    "dossier_record_refund",
    "dossier_refuse",
    "dossier_remove_document",
    "dossier_replace_result",
    "dossier_request_payment",
    "dossier_request_supplement",
    "dossier_revoke_result",
    "dossier_send_back",
    "dossier_start_draft",
    "dossier_submit",
    "dossier_supplement",
    "dossier_take",
    "dossier_update_draft",
    "dossier_withdraw",
    "delivery_changeable",
    "DELIVERY_NOT_CHANGEABLE",
    "dossiers_receive_each",
    "pending_upload_discard",
    "pending_uploads_discard_stale",
    "pending_uploads_keep",
    "supplement_reminders_send",
]
