"""``python -m bench.deadline_rush``: run the deadline-rush benchmark (see ``__init__``)."""

import argparse
import os
import platform
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/regionet_bench"
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.deadline_rush", description=__doc__)
    parser.add_argument("--applicants", type=int, default=300)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument(
        "--concurrency", type=int, help="requests in flight (default 2 × workers × threads)"
    )
    parser.add_argument("--late", type=float, default=0.05, help="share posting after closing")
    parser.add_argument(
        "--double-click", type=float, default=0.10, help="share posting the form twice"
    )
    parser.add_argument(
        "--deadline-in", type=float, default=60.0, help="seconds from the rush to the deadline"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rush rounds, each between two one-insert batches (1 with --profile)",
    )
    parser.add_argument("--target", choices=["real", "service"], default="real")
    parser.add_argument(
        "--tasks",
        choices=["database", "immediate"],
        default="database",
        help="django-tasks backend: database (sending off the request path) or immediate "
        "(the receipt is rendered and sent in the request, after commit)",
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--profile", metavar="FILE", help="py-spy the workers during the rush")
    parser.add_argument(
        "--profile-cpu", action="store_true", help="profile CPU time only (default: wall-clock)"
    )
    parser.add_argument("--results", default=str(ROOT / "bench" / "RESULTS.md"))
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args(argv)
    args.concurrency = args.concurrency or 2 * args.workers * args.threads
    # The profiler samples from the first rush round to the last: no one-insert batch between.
    args.rounds = 1 if args.profile else max(1, args.rounds)
    args.argv = argv if argv is not None else sys.argv[1:]
    return args


def server_environment(args) -> dict:
    """Production settings, as the environment tells them to regionet/settings.py."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.deadline_rush.settings",
        "DATABASE_URL": args.database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-deadline-rush-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "memorymail://",
        "TASKS_BACKEND": TASK_BACKENDS[args.tasks],
        "LOG_LEVEL": "ERROR",
        "REGIONET_SITE_URL": "https://127.0.0.1",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(args, port: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "regionet.wsgi:application",
        f"--workers={args.workers}",
        f"--threads={args.threads}",
        f"--bind=127.0.0.1:{port}",
        "--timeout=120",
        "--log-level=warning",
        f"--error-logfile={log}",
    ]
    environment = {**os.environ, **server_environment(args)}
    return subprocess.Popen(command, cwd=ROOT, env=environment)  # noqa: S603 (our own argv)


def wait_until_up(client, server, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}; see its log.")
        try:
            if client.request("GET", "/bench/pinged/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time.")


def submit_forms(client, world, target, concurrency) -> dict[int, tuple[str, dict]]:
    """Per applicant: where the submit form posts and its fields. Each applicant opens the
    page first (the real form from the check page), which also warms every worker up."""
    from django.urls import reverse
    from django.utils import translation

    from .load import form_fields

    def prepare(applicant):
        with translation.override("fi"):
            check = reverse("applications:check", kwargs={"pk": applicant.application_id})
            submit = reverse("applications:submit", kwargs={"pk": applicant.application_id})
        if target == "service":
            client.request("GET", "/fi/applications/", cookie=applicant.cookie)
            action = f"/bench/submit/{applicant.application_id}/"
            return applicant.index, (action, {"csrfmiddlewaretoken": applicant.csrf_token})
        status, _, body = client.request("GET", check, cookie=applicant.cookie)
        fields = form_fields(body.decode(), submit) if status == 200 else None
        if fields is None:
            raise SystemExit(
                f"The check page {check} (HTTP {status}) has no form posting to {submit}: "
                "is the submit page written? Try --target service."
            )
        return applicant.index, (submit, fields)

    return dict(client.map(prepare, world.applicants, concurrency))


def code_version() -> str:
    """The commit, whether the project's code has changes, and fingerprints of the files
    measured."""
    import hashlib
    import shutil

    def git(*arguments) -> str:
        command = [shutil.which("git") or "git", *arguments]
        result = subprocess.run(  # noqa: S603 (our own argv)
            command, cwd=ROOT, capture_output=True, text=True, check=False
        )
        return result.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = " with uncommitted changes" if git("status", "--porcelain", "regionet") else ""
    applications = ROOT / "regionet" / "applications"
    files = ", ".join(
        f"{name} {hashlib.sha256((applications / name).read_bytes()).hexdigest()[:10]}"
        for name in ("services.py", "views.py")
    )
    return f"commit {commit}{changed}; sha256 of applications/{files}"


def machine(load_before) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split()[0]
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    import django
    import gunicorn

    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "postgres": postgres,
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "system": f"{platform.system()} {platform.release()}",
        "code": code_version(),
        "load": " ".join(f"{x:.1f}" for x in load_before),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.update(server_environment(args))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.utils import timezone

    from .load import Client, Post, summary, wall_time
    from .profile import LockSampler, Profiler, queries_per_request, summarise
    from .report import print_report, record
    from .setup import build_world, migrate_and_import_places, move_deadline, recreate_database
    from .verify import verify

    began = time.monotonic()
    load_before = os.getloadavg()
    print(f"Database {args.database_url}: recreating, migrating, importing places…", flush=True)
    recreate_database(args.database_url)
    migrate_and_import_places()
    world = build_world(args.applicants, late_share=args.late, double_click_share=args.double_click)
    setup_s = time.monotonic() - began
    print(f"{args.applicants} applicants ready in {setup_s:.1f} s.", flush=True)

    port = free_port()
    log = ROOT / "var" / "bench-deadline-rush-gunicorn.log"
    server = start_server(args, port, log)
    database = urlsplit(args.database_url).path.lstrip("/")
    admin_url = urlsplit(args.database_url)._replace(path="/postgres").geturl()
    profiler = None
    locks = {}
    try:
        client = Client("127.0.0.1", port)
        wait_until_up(client, server)
        forms = submit_forms(client, world, args.target, args.concurrency)
        print(
            f"gunicorn on port {port}, {args.workers} × {args.threads}; forms loaded.", flush=True
        )

        in_time = [a for a in world.applicants if not a.late]
        # The applicants in time, in ``--rounds`` groups: each group's rush runs between two
        # one-insert batches of as many posts, so that the ratio compares batches run
        # seconds apart (this machine's speed drifts by a third within a minute).
        rounds = []
        for group in (in_time[k :: args.rounds] for k in range(args.rounds)):
            posts = []
            for applicant in group:
                action, fields = forms[applicant.index]
                first = Post("submit", applicant.index, action, fields, applicant.cookie)
                posts.append(first)
                if applicant.double_click:
                    second = Post("submit", applicant.index, action, fields, applicant.cookie)
                    second.after, second.delay = first, 0.1
                    posts.append(second)
            rounds.append(posts)

        def ping_batch(size):
            cycle = in_time * (size // len(in_time) + 1)
            return [
                Post(
                    "ping", a.index, "/bench/ping/", {"csrfmiddlewaretoken": a.csrf_token}, a.cookie
                )
                for a in cycle[:size]
            ]

        def pings_now(size):
            print(f"One-insert view: {size} posts…", flush=True)
            sampler = LockSampler(admin_url, database)
            sampler.start()
            batch = client.run(ping_batch(size), args.concurrency)
            locks.setdefault("ping", []).append(sampler.stop())
            return batch

        ping_batches = [pings_now(len(rounds[0]))]
        closes_at = timezone.now() + timedelta(seconds=args.deadline_in)
        # The server decides by the wall clock: so do the late posts and the checks.
        deadline = closes_at.timestamp()
        move_deadline(world, closes_at)
        if args.profile:
            profiler = Profiler(server.pid, args.profile, idle=not args.profile_cpu)
        rush_batches = []
        for n, posts in enumerate(rounds, 1):
            print(
                f"Rush {n}/{len(rounds)}: {len(posts)} posts, the phase closes in "
                f"{deadline - time.time():.0f} s…",
                flush=True,
            )
            sampler = LockSampler(admin_url, database)
            sampler.start()
            rush_batches.append(client.run(posts, args.concurrency))
            locks.setdefault("submit", []).append(sampler.stop())
            if profiler is not None:
                profiler.stop()
            ping_batches.append(pings_now(len(posts)))
        rush = [r for batch in rush_batches for r in batch]

        late_posts = []
        for n, applicant in enumerate(a for a in world.applicants if a.late):
            action, fields = forms[applicant.index]
            post = Post("late", applicant.index, action, fields, applicant.cookie)
            post.not_before = deadline + 0.2 + 0.02 * n
            late_posts.append(post)
        wait = max(0.0, deadline - time.time())
        print(
            f"Waiting {wait:.0f} s for the deadline; then {len(late_posts)} late posts…", flush=True
        )
        late = client.run(late_posts, args.concurrency)
    finally:
        if profiler is not None:
            profiler.stop()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    pings = [r for batch in ping_batches for r in batch]
    passed, failed, counts = verify(world, rush, late, pings, deadline=deadline)
    late_applicants = [a for a in world.applicants if a.late]
    if late_applicants:
        counts["queries"] = queries_per_request(world, forms, late_applicants[0])
    figures = {
        "submit": summary(rush_batches),
        "ping": summary(ping_batches),
        "late": summary([late]),
        # Per round: its rush against the mean of the one-insert batches before and after.
        "rounds": [
            len(rush_batch)
            / wall_time(rush_batch)
            / ((len(before) / wall_time(before) + len(after) / wall_time(after)) / 2)
            for rush_batch, before, after in zip(
                rush_batches, ping_batches, ping_batches[1:], strict=False
            )
        ],
        "locks": {
            phase: {
                key: sum(sample[key] for sample in samples) / len(samples)
                for key in ("active", "waiting")
            }
            for phase, samples in locks.items()
        },
        "setup_s": setup_s,
    }
    report = {
        "args": args,
        "machine": machine(load_before),
        "figures": figures,
        "passed": passed,
        "failed": failed,
        "counts": counts,
        "profile": summarise(args.profile) if args.profile else [],
    }
    print_report(report)
    if not args.no_record:
        record(Path(args.results), report)
        print(f"Appended to {args.results}.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
