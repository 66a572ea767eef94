"""`regionet demo`: migrate, import the places, load the demo data and start the server.

Run again, it only starts the server: what was entered is kept. `--reset` starts over.
"""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands.runserver import naiveip_re
from django.db import connection

from regionet.demo import services


def demo_site_url(addrport: str) -> str:
    """The address the demo serves, as runserver reads `addrport` ("8200", "host:8200")."""
    match = naiveip_re.match(addrport)
    if match is None:
        raise CommandError(f"{addrport!r} is not a port or an address:port.")
    host = match["addr"] or "127.0.0.1"
    # Served on every interface: links use this machine's own address (nothing binds here).
    if host in ("0", "0.0.0.0"):  # noqa: S104
        host = "127.0.0.1"
    return f"http://{host}:{match['port']}"


class Command(BaseCommand):
    help = "Set up the demo site (SQLite by default) and start it."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo database and build it again."
        )
        parser.add_argument(
            "--no-server",
            action="store_true",
            help="Prepare the database but do not start the server.",
        )

    def handle(self, *args, addrport, reset, no_server, **options):
        if not settings.DEBUG:
            raise CommandError(
                "The demo runs only with DEBUG on (it creates known passwords): "
                "start it with `make demo` or DEBUG=true."
            )
        started = time.monotonic()
        if reset:
            self._reset()
        call_command("migrate", interactive=False, verbosity=0)
        # The cache's table (settings.CACHES): the sign-in throttle counts there.
        call_command("createcachetable", verbosity=0)
        if services.places_missing():
            self.stdout.write("Importing regions and municipalities…")
            data_dir = settings.REFERENCE_DATA_DIR
            if data_dir.is_dir():
                call_command("import-places", str(data_dir), verbosity=1)
            else:
                self.stdout.write(f"{data_dir} not found: using the registry packages instead.")
                call_command("import-places", "--from-packages", verbosity=1)
        created = services.load_demo()
        self.stdout.write(
            ("Demo data loaded" if created else "Demo data already present, kept as it is")
            + f" ({time.monotonic() - started:.1f} s)."
        )
        site_url = demo_site_url(addrport)
        self.stdout.write(services.accounts_text(f"{site_url}/"))
        if not no_server:
            # Links in e-mail sent from tasks point where this demo runs (requests use
            # their own host); an explicit REGIONET_SITE_URL, e.g. behind a proxy, wins.
            if "REGIONET_SITE_URL" not in os.environ:
                settings.REGIONET_SITE_URL = site_url
            call_command("runserver", addrport, use_reloader=False)

    def _reset(self):
        db = settings.DATABASES["default"]
        if db["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError("--reset only deletes the demo's SQLite database.")
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db['NAME']}{suffix}").unlink(missing_ok=True)
        self.stdout.write("Demo database deleted.")
