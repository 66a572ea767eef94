"""``{% call_guidance call_id phase_id as guidance %}``: a call's contact persons, what happens
after submitting in a phase and when decisions are expected, read when the page, the PDF or
the e-mail is rendered (``queries.call_guidance``)."""

from django import template

from ..queries import call_guidance as _call_guidance

register = template.Library()


@register.simple_tag
def call_guidance(call_id, phase_id=None):
    if not call_id:
        return None
    return _call_guidance(call_id, phase_id)
