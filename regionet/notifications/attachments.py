"""The registry of attachment generators: files made when a notice is sent, not when queued.

A notice stores ``[{"generator": name, "args": {...}}]``; at sending, the generator registered
under ``name`` (or, failing that, the function at the dotted path ``name``) is called as
``generator(notice, **args)`` and returns ``(filename, content bytes, mimetype)``. So a
receipt PDF is rendered from the snapshot when the e-mail leaves, and a retry renders it again.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

Generator = Callable[..., tuple[str, bytes, str]]

_GENERATORS: dict[str, Generator] = {}


def register_attachment(name: str, function: Generator) -> None:
    """Register ``function(notice, **args) -> (filename, bytes, mimetype)`` as ``name``."""
    if _GENERATORS.get(name, function) is not function:
        raise ImproperlyConfigured(f"The attachment generator {name!r} is already registered.")
    _GENERATORS[name] = function


def get_generator(name: str) -> Generator:
    """The generator registered as ``name``, else the function at the dotted path ``name``."""
    if name in _GENERATORS:
        return _GENERATORS[name]
    try:
        return import_string(name)
    except ImportError:
        raise LookupError(f"Unknown attachment generator {name!r}.") from None


def attachment(generator: str, **args) -> dict:
    """The stored form of one attachment, for ``notify(attachments=[...])``."""
    return {"generator": generator, "args": args}
