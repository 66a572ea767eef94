"""The run's figures on the console and as a section of bench/RESULTS.md."""

import shlex
from datetime import UTC, datetime
from pathlib import Path

HEADER = """# Benchmark results

Each run appends a section. Figures from one run are comparable with each other only:
client, server and database share the machine.

## deadline_rush

Many applicants submit in the last minute before a call closes (issue 4). Run from the
repository root, with PostgreSQL on 127.0.0.1:5432:

    .venv/bin/python -m bench.deadline_rush --applicants 300 --workers 4

What it does and checks: see the docstring of `bench/deadline_rush/__init__.py`. The target:
no submission lost, no server error, and submit throughput at least half that of a view
that inserts one row, on the same server in the same run.
"""

ROWS = [
    ("submit", "submit (rush, in time)"),
    ("ping", "one-insert view"),
    ("late", "submit after the deadline"),
]
TARGET_RATIO = 0.5


def ratio(report) -> float:
    """Submit throughput over the one-insert view's, each over all its batches."""
    figures = report["figures"]
    return figures["submit"]["throughput"] / figures["ping"]["throughput"]


def _table(report) -> list[str]:
    lines = [
        "| requests | n | req/s | p50 ms | p95 ms | p99 ms | max ms | 5xx | conn. errors |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for key, label in ROWS:
        f = report["figures"][key]
        if not f.get("requests"):
            continue
        lines.append(
            f"| {label} | {f['requests']} | {f['throughput']:.1f} | {f['p50_ms']:.0f} | "
            f"{f['p95_ms']:.0f} | {f['p99_ms']:.0f} | {f['max_ms']:.0f} | "
            f"{f['server_errors']} | {f['connection_errors']} |"
        )
    return lines


def _receipts(args, counts) -> str:
    if args.tasks == "immediate":
        return (
            "* Receipts: queued in the request's transaction and, with the django-tasks "
            "ImmediateBackend, rendered (PDF) and e-mailed in the request after commit: "
            f"{counts['notices_sent']} receipt notices sent"
        )
    return (
        "* Receipts: queued in the request's transaction; rendering the PDF and sending are "
        "left to a sweep of the due notices on the django-tasks database backend "
        "(`django_tasks_db.DatabaseBackend`, queued after commit unless one waits; no worker "
        f"running): {counts['tasks_queued']} task(s) queued, "
        f"{counts['notices_pending']} receipt notices pending"
    )


def _statuses(counter) -> str:
    return (
        ", ".join(
            f"{status or 'no answer'} × {n}" for status, n in sorted(counter.items(), key=str)
        )
        or "none"
    )


def _queries(report) -> list[str]:
    queries = report["counts"].get("queries")
    if not queries:
        return []
    (submit_status, submit), (ping_status, ping) = queries["submit"], queries["ping"]
    return [
        f"SQL statements per request (measured after the checks, in process, on a late "
        f"applicant's draft): submit "
        f"{submit} (HTTP {submit_status}), one-insert {ping} (HTTP {ping_status}).",
        "",
    ]


def _locks(report) -> list[str]:
    locks = report["figures"]["locks"]
    if not locks:
        return []
    submit, ping = locks.get("submit", {}), locks.get("ping", {})
    return [
        "PostgreSQL sessions of the benchmark running a query, and among them waiting for a "
        f"lock (mean of 50 ms samples): rush {submit.get('active', 0):.1f} running, "
        f"{submit.get('waiting', 0):.1f} waiting; one-insert {ping.get('active', 0):.1f} "
        f"running, {ping.get('waiting', 0):.1f} waiting.",
        "",
    ]


def _profile(report) -> list[str]:
    if not report["profile"]:
        return []
    kind = "CPU time (py-spy)" if report["args"].profile_cpu else "wall-clock time (py-spy --idle)"
    lines = [
        f"Where the workers' {kind} went during the rush (share of the samples inside a "
        "request with this line on the stack; the profiler slows the run down):",
        "",
    ]
    lines += [f"* {share * 100:.0f} % `{label}`" for share, label in report["profile"]]
    return [*lines, ""]


def _rounds(report) -> str:
    rounds = report["figures"]["rounds"]
    if len(rounds) == 1:
        return "One rush between two one-insert batches."
    return (
        f"The rush ran in {len(rounds)} rounds, each between two one-insert batches of as many "
        "posts; the ratio takes every batch of each kind. Each round against the mean of the "
        "batches before and after it: " + ", ".join(f"{x:.2f}" for x in rounds) + "."
    )


def _section(report) -> str:
    args, machine, counts = report["args"], report["machine"], report["counts"]
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = ".venv/bin/python -m bench.deadline_rush " + shlex.join(args.argv)
    r = ratio(report)
    met = "met" if r >= TARGET_RATIO and not report["failed"] else "NOT met"
    target = "the real submit view" if args.target == "real" else "the bench-only service view"
    lines = [
        f"### {now} — {args.applicants} applicants, {args.workers} workers × "
        f"{args.threads} thread(s), {target}",
        "",
        f"* Command: `{command.strip()}`",
        f"* Machine: {machine['cpus']} CPUs ({machine['cpu_model'] or 'unknown model'}), "
        f"{machine['system']}; Python {machine['python']}, PostgreSQL {machine['postgres']}, "
        f"Django {machine['django']}, gunicorn {machine['gunicorn']}; load average "
        f"{machine['load']} before the run",
        f"* Code: {machine['code']}",
        f"* Concurrency {args.concurrency}; {args.rounds} rush round(s); "
        f"{counts['submissions']} submissions; "
        f"{round(args.double_click * 100)} % double clicks, {round(args.late * 100)} % late; "
        f"setup {report['figures']['setup_s']:.0f} s",
        _receipts(args, counts),
        "* Answers: rush "
        + _statuses(counts["rush_statuses"])
        + "; after the deadline "
        + _statuses(counts["late_refusals"])
        + " (302 = redirect to the receipt, 409 = refused)",
        "",
        *_table(report),
        "",
        f"**Submit / one-insert throughput: {r:.2f}** (target ≥ {TARGET_RATIO}: {met}). "
        + _rounds(report),
        "",
        *_queries(report),
        *_locks(report),
        *_profile(report),
        "Checks:",
        "",
        *[f"* ✗ {text}" for text in report["failed"]],
        *[f"* ✓ {text}" for text in report["passed"]],
        "",
    ]
    return "\n".join(lines) + "\n"


def record(path: Path, report) -> None:
    text = path.read_text() if path.exists() else HEADER
    path.write_text(text.rstrip("\n") + "\n\n" + _section(report))


def print_report(report) -> None:
    print()
    print(_section(report))
