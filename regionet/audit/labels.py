"""What the audit trail's event codes say to a reader: one mapping of codes to translated
labels, asked by every page that shows the trail (``verb_label``).

Each app registers the codes it writes from its AppConfig.ready (``register_verbs``), so this
lower app names none of them; a code nobody registered still reads as words, never as a dotted
identifier.
"""

from collections.abc import Mapping

from django.utils.text import capfirst

_LABELS: dict[str, object] = {}


def register_verbs(labels: Mapping[str, object]) -> None:
    """Add ``labels`` (code → lazily translated label) to the one mapping."""
    _LABELS.update(labels)


def readable(code: str) -> str:
    """A code nobody registered, in words: "application.section_completed" → "Application:
    section completed"."""
    parts = [part.replace("_", " ").strip() for part in code.split(".") if part.strip("_ ")]
    if not parts:
        return code
    return capfirst(": ".join(parts))


def verb_label(code: str) -> str:
    """The label of ``code`` in the active language."""
    label = _LABELS.get(code)
    return str(label) if label is not None else readable(code)


def registered_codes() -> list[str]:
    """Every registered code, sorted: the tests hold that every code an app writes is one.
    (The admin's filter lists the codes the trail holds, each by its ``verb_label``.)"""
    return sorted(_LABELS)
