"""`regionet demo-totp EMAIL`: the current two-factor code of a demo staff account."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from regionet.demo import services


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo staff account (demo only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError("Demo codes are only available with DEBUG on.")
        if not services.has_demo_totp(email):
            raise CommandError(f"{email} is not a demo staff account with two-factor set up.")
        self.stdout.write(services.current_totp_code(email))
