"""Background work of notices: sending one after the transaction that queued it commits."""

from django_tasks import task


@task()
def send_notice_task(notice_id: int) -> None:
    """Send the notice if it is still pending; failures are recorded on the notice."""
    # Imported here: the services queue this task.
    from .models import Notice
    from .services import send_notice

    send_notice(Notice(pk=notice_id))
