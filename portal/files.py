"""The type of an uploaded or stored file, read from its content (never from its name or the browser's claim).

Shared by the dossiers' uploads (`dossiers.uploads`) and the procedures' blank form templates
(`procedures.validators`), which must not import each other.
"""

import filetype

# The content types of what procedures.constants.FileType offers, by filetype's extension names.
MIME_BY_FILE_TYPE = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

SNIFF_BYTES = 8192


def sniff_file_type(file) -> str | None:
    """The file's type as filetype names it ("pdf", "docx", …) from its first bytes, or None when unknown.
    The file's position is put back at its start."""
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    kind = filetype.guess(head)
    return kind.extension if kind else None
