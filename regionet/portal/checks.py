"""System checks that the site's own assets are served: every stylesheet and script the
templates name is found by the static-files finders, and, where production's manifest storage
is used, collected into its manifest (a missing entry answers every page with a 500)."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.checks import Error, Tags, register

# `{% static 'path' %}` with a literal path, the only form our templates use.
STATIC_TAG = re.compile(r"""\{%\s*static\s+(['"])(?P<path>[^'"]+)\1""")


def _project_template_dirs() -> list[Path]:
    """The template folders of the project and of its own apps (not of third-party ones)."""
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    folders += [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if config.name.startswith("regionet.")
    ]
    return [folder for folder in folders if folder.is_dir()]


def referenced_static_files() -> dict[str, Path]:
    """Each static path a template names literally, with the first template naming it."""
    found: dict[str, Path] = {}
    for folder in _project_template_dirs():
        for template in sorted(folder.rglob("*.html")):
            for match in STATIC_TAG.finditer(template.read_text(encoding="utf-8")):
                found.setdefault(match["path"], template)
    return found


@register(Tags.staticfiles)
def static_references_are_found(app_configs, **kwargs):
    missing = [
        (path, template)
        for path, template in referenced_static_files().items()
        if not finders.find(path)
    ]
    return [
        Error(
            f"{template.name} links the static file {path!r}, which no static-files finder "
            "finds: the page would load without it.",
            hint="Run `make install` (it builds the front-end files from package.json), or "
            "add the folder that holds it to STATICFILES_DIRS.",
            obj=str(template),
            id="portal.E001",
        )
        for path, template in missing
    ]


@register(Tags.staticfiles, deploy=True)
def static_manifest_names_every_referenced_file(app_configs, **kwargs):
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return []
    manifest = staticfiles_storage.hashed_files  # read from the manifest file at start
    absent = sorted(path for path in referenced_static_files() if path not in manifest)
    if not absent:
        return []
    return [
        Error(
            f"The static files manifest in {settings.STATIC_ROOT} lacks {', '.join(absent)}: "
            "with the manifest storage every page naming them answers 500.",
            hint="Run `regionet collectstatic --noinput` before starting the server.",
            id="portal.E002",
        )
    ]
