"""The fi–sv parity check: every publish door asks ``missing_translations`` what is missing.

Finnish and Swedish are equal: a public text is not published while either is missing.
English is optional; modeltranslation falls back to Finnish (then Swedish) when it is empty.
A text is required when its field cannot be left blank (a name), or when it has been written
in any language (a description written in Finnish needs its Swedish version too).
"""

from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext
from modeltranslation.translator import NotRegistered, translator

REQUIRED_LANGUAGES = ("fi", "sv")


def _language_name(code: str) -> str:
    # The form the message needs differs by language ("ruotsiksi", "på svenska", "Swedish").
    names = {
        "fi": pgettext("missing text in language", "Finnish"),
        "sv": pgettext("missing text in language", "Swedish"),
    }
    return names[code]


def translated_fields(model) -> list[str]:
    """The names of the fields of ``model`` stored per language, in registration order."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return []
    return list(options.all_fields)


def _label(obj) -> str:
    return str(obj) or getattr(obj, "code", "") or f"#{obj.pk}"


def missing_translations(obj) -> list[str]:
    """What ``obj`` lacks in Finnish or Swedish, one translated message per text and language.

    For example "Theme 'Vetytalous' has no Swedish name".
    """
    messages = []
    meta = type(obj)._meta
    for name in translated_fields(type(obj)):
        field = meta.get_field(name)
        values = {
            code: (getattr(obj, f"{name}_{code}", None) or "").strip()
            for code in ("fi", "sv", "en")
        }
        if field.blank and not any(values.values()):
            continue
        for code in REQUIRED_LANGUAGES:
            if not values[code]:
                messages.append(
                    gettext("%(object)s '%(label)s' has no %(language)s %(field)s")
                    % {
                        "object": capfirst(meta.verbose_name),
                        "label": _label(obj),
                        "language": _language_name(code),
                        "field": field.verbose_name,
                    }
                )
    return messages


def missing_translations_of_all(objects) -> list[str]:
    """``missing_translations`` of each object in turn."""
    return [message for obj in objects for message in missing_translations(obj)]
