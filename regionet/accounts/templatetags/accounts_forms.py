"""Template helpers for accessible forms: the error summary at the top of every form."""

from django import template
from django.utils.translation import gettext

register = template.Library()


def _entry(field, message, label=None) -> str:
    """ "Label: message": a summary entry names its field, since a field's own message
    ("This field is required.") often does not."""
    label = label or field.label or field.name
    return gettext("%(field)s: %(message)s") % {"field": label, "message": message}


def _anchor(field) -> str:
    # Radio buttons and checkbox lists have no single input: link to the first one.
    return field.id_for_label or f"{field.auto_id}_0"


@register.filter
def unlinked_entries(messages):
    """Messages that belong to no one field, as error summary entries (no anchor)."""
    return [(None, message) for message in messages]


@register.filter
def error_summary(form):
    """[(anchor id or None, text)] for every error of `form`, in field order, each naming its
    field; then the errors of the rows of the formsets the form holds (its
    ``summary_formsets()``, if it has them)."""
    if form is None or not hasattr(form, "errors") or not form.errors:
        return []
    summary = [(None, message) for message in form.non_field_errors()]
    for field in form:
        if field.is_hidden:
            summary.extend((None, message) for message in field.errors)
            continue
        summary.extend((_anchor(field), _entry(field, message)) for message in field.errors)
    formsets = form.summary_formsets() if hasattr(form, "summary_formsets") else ()
    for formset in formsets:
        summary.extend((None, message) for message in formset.non_form_errors())
        for number, row in enumerate(formset.forms, start=1):
            for field in row:
                if field.is_hidden:
                    continue
                label = gettext("%(label)s, row %(row)d") % {"label": field.label, "row": number}
                summary.extend(
                    (_anchor(field), _entry(field, message, label)) for message in field.errors
                )
    return summary
