"""Template helpers for accessible forms: the error summary at the top of every form."""

from django import template

register = template.Library()


@register.filter
def error_summary(form):
    """[(anchor id or None, message)] for every error of `form`, in field order."""
    if form is None or not hasattr(form, "errors") or not form.errors:
        return []
    summary = [(None, message) for message in form.non_field_errors()]
    for field in form:
        if field.is_hidden:
            summary.extend((None, message) for message in field.errors)
            continue
        if not field.errors:
            continue
        # Radio buttons and checkbox lists have no single input: link to the first one.
        anchor = field.id_for_label or f"{field.auto_id}_0"
        summary.extend((anchor, message) for message in field.errors)
    return summary
