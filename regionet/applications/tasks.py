"""Background work of applications: the officers' exports."""

from django_tasks import task

from . import exports


@task()
def export_applications(export_id: str) -> None:
    """Write the file of a queued export (``exports.write_export``); a second run of the same
    task finds the export no longer queued and leaves it as it is."""
    exports.write_export(export_id)
