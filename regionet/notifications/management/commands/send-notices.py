"""``regionet send-notices``: send the notices whose next try is due (run it every minute)."""

from django.core.management.base import BaseCommand

from regionet.notifications.services import send_due_notices


class Command(BaseCommand):
    help = "Send every pending notice whose next attempt is due."

    def handle(self, *args, **options):
        sent = send_due_notices()
        if options["verbosity"] >= 1:
            self.stdout.write(f"{sent} notice(s) sent.")
