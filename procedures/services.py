"""Writes to the catalogue."""

from django.db import transaction

from portal.text import fold_vietnamese

from .models import Procedure


def procedure_search_text(procedure: Procedure) -> str:
    parts = [procedure.code, procedure.name, procedure.result_description]
    if procedure.field_id:
        parts.append(procedure.field.name)
    if procedure.agency_id:
        parts.append(procedure.agency.name)
    return fold_vietnamese(" ".join(part for part in parts if part))


@transaction.atomic
def procedure_save(*, procedure: Procedure) -> Procedure:
    """Save a procedure (validated by the caller's form) and refresh what search reads."""
    procedure.search_text = procedure_search_text(procedure)
    procedure.save()
    return procedure
