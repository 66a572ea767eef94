"""The load generator: form posts from signed-in browsers, at most ``concurrency`` at a time.

A thread pool of plain ``http.client`` connections (no dependency, little client CPU, which
matters when client, server and database share the machine). Every request carries the
browser's session and CSRF cookies, the form's CSRF token, and ``X-Forwarded-Proto: https``
with a matching ``Origin``: the server runs with its production settings behind an assumed
TLS proxy, so the CSRF origin check and secure cookies are exercised as in production.
"""

import http.client
import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

TIMEOUT = 120


@dataclass
class Post:
    """One form post: ``label`` groups results; ``not_before`` is a ``time.time()``: the
    wall clock, which the server (on this machine) uses for deadlines."""

    label: str
    applicant: int
    path: str
    fields: dict
    cookie: str
    not_before: float | None = None
    # A second click: sent ``delay`` s after ``after`` (the first click) was sent.
    after: "Post | None" = None
    delay: float = 0.0
    sent: threading.Event = field(default_factory=threading.Event, repr=False)
    sent_at: float = 0.0


@dataclass
class Result:
    post: Post
    status: int | None
    location: str
    started: float
    finished: float
    # When it was sent by the wall clock (``time.time()``): compared with the deadline.
    sent_wall: float
    error: str = ""

    @property
    def latency(self) -> float:
        return self.finished - self.started


class Client:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.origin = f"https://{host}:{port}"

    def _headers(self, cookie: str, *, form: bool) -> dict:
        headers = {
            "Host": f"{self.host}:{self.port}",
            "Cookie": cookie,
            "X-Forwarded-Proto": "https",
            "Accept-Language": "fi",
            "User-Agent": "regionet-bench/1",
        }
        if form:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + "/"
        return headers

    def request(self, method, path, *, cookie="", fields=None):
        """(status, Location header, body) of one request on a new connection."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            body = urlencode(fields or {}, doseq=True) if method == "POST" else None
            connection.request(
                method, path, body=body, headers=self._headers(cookie, form=bool(body))
            )
            response = connection.getresponse()
            content = response.read()
            return response.status, response.getheader("Location", ""), content
        finally:
            connection.close()

    def _send(self, post: Post) -> Result:
        if post.after is not None:
            post.after.sent.wait()
            pause = post.after.sent_at + post.delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        elif post.not_before is not None:
            pause = post.not_before - time.time()
            if pause > 0:
                time.sleep(pause)
        started, sent_wall = time.monotonic(), time.time()
        post.sent_at = started
        post.sent.set()
        try:
            status, location, _ = self.request(
                "POST", post.path, cookie=post.cookie, fields=post.fields
            )
        except (OSError, http.client.HTTPException) as error:
            return Result(
                post, None, "", started, time.monotonic(), sent_wall, f"{type(error).__name__}"
            )
        return Result(post, status, location, started, time.monotonic(), sent_wall)

    def run(self, posts: list[Post], concurrency: int) -> list[Result]:
        """Send ``posts`` in order, ``concurrency`` at a time; a post's second click must come
        after it in the list."""
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            return list(pool.map(self._send, posts))

    def map(self, function, items, concurrency: int) -> list:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            return list(pool.map(function, items))


def wall_time(results: list[Result]) -> float:
    """From the first post sent to the last answer of one batch."""
    return max(r.finished for r in results) - min(r.started for r in results)


def summary(batches: list[list[Result]]) -> dict:
    """Throughput over the wall time of the batches (each batch timed on its own, so what
    runs between them does not count), latency percentiles, errors."""
    results = [r for batch in batches for r in batch]
    if not results:
        return {"requests": 0}
    latencies = sorted(r.latency for r in results)
    wall = sum(wall_time(batch) for batch in batches if batch)
    cuts = (
        statistics.quantiles(latencies, n=100, method="inclusive")
        if len(latencies) > 1
        else latencies * 99
    )
    return {
        "requests": len(results),
        "wall_s": wall,
        "throughput": len(results) / wall if wall else float("inf"),
        "p50_ms": cuts[49] * 1000,
        "p95_ms": cuts[94] * 1000,
        "p99_ms": cuts[98] * 1000,
        "max_ms": latencies[-1] * 1000,
        "server_errors": sum(1 for r in results if r.status is not None and r.status >= 500),
        "connection_errors": sum(1 for r in results if r.status is None),
    }


RECEIPT = re.compile(r"/applications/(?P<pk>\d+)/receipts/(?P<number>\d+)/$")


def receipt_of(result: Result) -> tuple[int, int] | None:
    """(application id, submission number) when the answer redirects to a receipt."""
    if result.status not in (301, 302, 303) or not result.location:
        return None
    match = RECEIPT.search(urlsplit(result.location).path)
    return (int(match["pk"]), int(match["number"])) if match else None


class _Forms(HTMLParser):
    """The fields a browser would post with each form of a page (by form action)."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict] = {}
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = self.forms.setdefault(attrs.get("action") or "", {})
        elif self._current is not None and tag in ("input", "button") and attrs.get("name"):
            kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
            if kind in ("hidden", "checkbox", "submit") or attrs.get("value") is not None:
                # A careful applicant ticks every confirmation box before submitting.
                self._current.setdefault(attrs["name"], attrs.get("value", "on"))

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def form_fields(html: str, action: str) -> dict | None:
    """The fields of the page's form that posts to ``action``, or None if there is none."""
    parser = _Forms()
    parser.feed(html)
    for form_action, fields in parser.forms.items():
        if urlsplit(form_action).path == action:
            return fields
    return None
