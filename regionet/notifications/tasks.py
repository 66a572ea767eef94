"""Background work of notices: sending them after the transaction that queued them commits."""

from django_tasks import task


@task()
def send_notice_task(notice_id: int) -> None:
    """Send the notice if it is still pending; failures are recorded on the notice."""
    # Imported here: the services queue this task.
    from .models import Notice
    from .services import send_notice

    send_notice(Notice(pk=notice_id))


@task()
def send_due_notices_task() -> int:
    """Send every notice that is due: the sweep the database queue wakes (see
    ``services._wake_sweep``); returns how many went."""
    from .services import send_due_notices

    return send_due_notices()
