"""The documents the portal issues, as PDFs, laid out like the forms of Circular 01/2018/TT-VPCP
(renumbered by Circular 03/2025/TT-VPCP).

Each document is built in two steps:

- a `*_content` function (`documents`) turns the dossier, and what the document needs (already loaded by
  the caller through dossiers.selectors), into an `IssuedDocument` (`content`): paragraphs, label/value
  rows, tables and signatures, as plain text. Tests read these, since the text inside a PDF is not
  searchable.
- `render` (`layout`) lays an `IssuedDocument` out on A4 pages: the issuing body and the national motto,
  the place and date, the title with the dossier code, the body, the signature blocks, and a QR code that
  opens the public lookup for the dossier.

The `*_pdf` functions do both and return the bytes. Nothing here queries the database.
"""

from .content import Facts, IssuedDocument, Paragraph, Signature, Table
from .documents import (
    apology_content,
    apology_pdf,
    control_sheet_content,
    control_sheet_pdf,
    date_words,
    lookup_url,
    receipt_content,
    receipt_pdf,
    refusal_content,
    refusal_pdf,
    refusal_reason,
    supplement_request_content,
    supplement_request_pdf,
    time_words,
)
from .layout import qr_matrix, render

__all__ = [
    "Facts",
    "IssuedDocument",
    "Paragraph",
    "Signature",
    "Table",
    "apology_content",
    "apology_pdf",
    "control_sheet_content",
    "control_sheet_pdf",
    "date_words",
    "lookup_url",
    "qr_matrix",
    "receipt_content",
    "receipt_pdf",
    "refusal_content",
    "refusal_pdf",
    "refusal_reason",
    "render",
    "supplement_request_content",
    "supplement_request_pdf",
    "time_words",
]
