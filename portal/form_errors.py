"""Where a refused form sends the reader: the first field in error gets `autofocus` (focus lands there without
JavaScript), and the summary at the top links to every field in error (static/js/form-errors.js moves focus on a
click). Django itself marks each field in error with `aria-invalid` and links its message by `aria-describedby`."""


def error_summary(bound_fields) -> list[dict]:
    """`bound_fields` in the order the page shows them: one entry (`id`, `label`, `message`) per field in error, the
    first of which is given `autofocus`."""
    summary = []
    for bound in bound_fields:
        if not bound.errors:
            continue
        if not summary:
            bound.field.widget.attrs["autofocus"] = True
        summary.append({"id": bound.id_for_label or bound.auto_id, "label": bound.label, "message": bound.errors[0]})
    return summary
