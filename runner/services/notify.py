"""Alerts: one JSON message to a webhook at the end of a backfill or validate run.

A Slack incoming webhook (``hooks.slack.com``) gets a Slack message (``text`` +
``blocks``); any other URL gets the plain JSON of ``Message.to_dict()``. The
standard library posts it (urllib, with a timeout). Delivery is best effort: a
message that cannot be delivered (timeout, refused, non-2xx) prints one
warning and is recorded by the caller; it never changes the run's outcome.

The URL is a secret (a Slack webhook's path is its token): everything this
module returns or prints names the URL's host only (``url_host``).
"""
from __future__ import annotations

import datetime as dt
import json
import socket
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from runner.console import Console
from runner.errors import UsageError
from runner.redact import redact_urls, url_host

if TYPE_CHECKING:  # only for annotations: notify must not import the services it reports on
    from runner.validate.report import Report, Severity

NotifyOn = Literal["failure", "success", "always"]
NOTIFY_ON: tuple[str, ...] = ("failure", "success", "always")
ENV_URL = "NBA_NOTIFY_URL"
ENV_ON = "NBA_NOTIFY_ON"
TIMEOUT_SECONDS = 10.0
MAX_ITEMS = 10          # failed dates / failing checks listed in a message
SLACK_HOSTS = ("hooks.slack.com", "hooks.slack-gov.com")
SLACK_TEXT_LIMIT = 2900  # Slack refuses section text over 3000 characters

# delivery statuses, as recorded in nba_orchestration.backfill_runs.notify_status
SENT, NOT_DELIVERED, NOT_SENT = "sent", "not_delivered", "not_sent"


# -- the URL, a secret --------------------------------------------------------------------------
def check_url(url: str | None) -> str | None:
    """The URL when it is usable (http or https with a host), else a UsageError that does not echo it."""
    if url is None or not url.strip():
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        host, parts = None, None
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise UsageError("--notify (or $NBA_NOTIFY_URL) must be an http:// or https:// URL with a host")
    return url


def check_on(on: str) -> str:
    if on not in NOTIFY_ON:
        raise UsageError(f"--notify-on must be one of {', '.join(NOTIFY_ON)}, got {on!r}")
    return on


def _scrub(text: str, url: str) -> str:
    """An error text without the URL, its path or its query (urllib errors rarely hold them; be sure)."""
    parts = urlsplit(url)
    for secret in (url, parts.path, parts.query):
        if secret and secret != "/":
            text = text.replace(secret, "/…")
    return redact_urls(text)


# -- the message ----------------------------------------------------------------------------------
@dataclass
class Item:
    """One thing that went wrong: a (model, date) failed or blocked, or a failing check."""

    what: str                   # model name or check id
    status: str                 # failed, blocked, or the check's severity
    reason: str
    date: str | None = None     # ISO date, for ledger items


@dataclass
class Message:
    """What one run reports; ``to_dict()`` is the plain JSON body."""

    kind: Literal["backfill", "validate"]
    run_id: str
    command: str                # redacted: no URL in it
    target: str
    start_date: str
    end_date: str
    status: str                 # succeeded, failed, error, interrupted (backfill); passed, failed (validate)
    exit_code: int
    counts: dict[str, int] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)  # the first MAX_ITEMS
    items_total: int = 0
    log_path: str | None = None
    report_path: str | None = None
    readiness: str | None = None  # validate: "READY" / "NOT READY: …"
    host: str = field(default_factory=socket.gethostname)
    source: str = "nba-pipeline"

    @property
    def failed(self) -> bool:
        return self.exit_code != 0

    @property
    def summary(self) -> str:
        icon = "FAILED" if self.failed else "OK"
        counts = ", ".join(f"{n} {s}" for s, n in sorted(self.counts.items())) or "nothing done"
        return (f"nba-pipeline {self.kind} {icon} ({self.status}, exit {self.exit_code}) on {self.target} "
                f"{self.start_date}..{self.end_date}: {counts}")

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["summary"] = self.summary
        return out


def payload_for(url: str, message: Message) -> dict[str, Any]:
    """The body to post: Slack's format for a Slack webhook, the plain JSON for anything else."""
    return slack_payload(message) if is_slack(url) else message.to_dict()


def is_slack(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in SLACK_HOSTS


def slack_payload(message: Message) -> dict[str, Any]:
    """Incoming-webhook format: ``text`` (notifications, fallback) and Block Kit ``blocks``."""
    fields = [
        ("Run", message.run_id),
        ("Range", f"{message.start_date}..{message.end_date}"),
        ("Status", f"{message.status} (exit {message.exit_code})"),
        ("Counts", ", ".join(f"{s}: {n}" for s, n in sorted(message.counts.items())) or "—"),
    ]
    if message.readiness:
        fields.append(("ML training", message.readiness))
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "emoji": True,
                                    "text": f"{':red_circle:' if message.failed else ':white_check_mark:'} "
                                            f"nba-pipeline {message.kind} {'failed' if message.failed else 'succeeded'}"}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f"*{k}*\n{_slack_escape(v)}"} for k, v in fields]},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"`{_slack_escape(message.command)}`"[:SLACK_TEXT_LIMIT]}},
    ]
    if message.items:
        lines = [f"• *{_slack_escape(i.what)}*{' ' + i.date if i.date else ''} ({i.status}): {_slack_escape(i.reason)}"
                 for i in message.items]
        more = message.items_total - len(message.items)
        if more > 0:
            lines.append(f"… and {more} more")
        title = "First failed dates" if message.kind == "backfill" else "Failing checks"
        blocks.append({"type": "section", "text": {"type": "mrkdwn",
                                                   "text": _clip(f"*{title}*\n" + "\n".join(lines))}})
    where = [f"host {message.host}"]
    if message.log_path:
        where.append(f"log {message.log_path}")
    if message.report_path:
        where.append(f"report {message.report_path}")
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(_slack_escape(" · ".join(where)))}]})
    return {"text": message.summary, "blocks": blocks}


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str) -> str:
    return text if len(text) <= SLACK_TEXT_LIMIT else text[: SLACK_TEXT_LIMIT - 1] + "…"


# -- delivery -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Delivery:
    """What became of a notification; safe to print and store (host only)."""

    host: str
    status: str                 # sent, not_delivered, not_sent
    detail: str | None = None   # why not delivered / not sent

    def record(self) -> dict[str, Any]:
        """The backfill_runs columns."""
        return {"notify_host": self.host, "notify_status": self.status, "notify_detail": self.detail}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is not a delivery (urllib would re-send a POST as a GET without its body)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def should_send(on: str, failed: bool) -> bool:
    return on == "always" or (on == "failure" and failed) or (on == "success" and not failed)


def notify(
    url: str,
    message: Message,
    console: Console,
    on: str = "failure",
    timeout: float = TIMEOUT_SECONDS,
) -> Delivery:
    """Post ``message`` once when ``on`` asks for it; never raises. Undelivered: one console warning."""
    host = url_host(url)
    if not should_send(on, message.failed):
        return Delivery(host, NOT_SENT, f"run {'failed' if message.failed else 'succeeded'}, --notify-on {on}")
    delivery = post(url, payload_for(url, message), timeout)
    if delivery.status != SENT:
        console.warn(f"notification to {host} not delivered: {delivery.detail} (the run's outcome is unchanged)")
    return delivery


def post(url: str, payload: dict[str, Any], timeout: float = TIMEOUT_SECONDS) -> Delivery:
    """POST the JSON payload; a Delivery whatever happens (no exception escapes)."""
    host = url_host(url)
    try:
        body = json.dumps(payload, default=str).encode("utf-8")
        request = urllib.request.Request(
            url, data=body, method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "nba-pipeline-notify"},
        )
        opener = urllib.request.build_opener(_NoRedirect)
        with opener.open(request, timeout=timeout) as response:
            code = response.status
        if 200 <= code < 300:
            return Delivery(host, SENT, f"HTTP {code}")
        return Delivery(host, NOT_DELIVERED, f"HTTP {code}")
    except urllib.error.HTTPError as exc:
        return Delivery(host, NOT_DELIVERED, f"HTTP {exc.code} {_scrub(str(exc.reason), url)}".strip())
    except TimeoutError:
        return Delivery(host, NOT_DELIVERED, f"no answer within {timeout:g} s")
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return Delivery(host, NOT_DELIVERED, f"no answer within {timeout:g} s")
        text = getattr(reason, "strerror", None) or str(reason)
        return Delivery(host, NOT_DELIVERED, _scrub(str(text), url))
    except Exception as exc:
        return Delivery(host, NOT_DELIVERED, _scrub(f"{type(exc).__name__}: {exc}", url))


# -- the two runs that notify ---------------------------------------------------------------------
def ledger_items(failed: dict[str, dict[dt.date, str]], blocked: dict[str, dict[dt.date, str]]) -> list[Item]:
    """Every failed then blocked (model, date), earliest date first."""
    items = [Item(model, status, reason, day.isoformat())
             for status, per_model in (("failed", failed), ("blocked", blocked))
             for model, dates in per_model.items()
             for day, reason in dates.items()]
    rank = {"failed": 0, "blocked": 1}
    return sorted(items, key=lambda i: (i.date or "", rank[i.status], i.what))


def validation_message(
    report: Report,
    fail_on: Severity = "error",
    command: str = "nba-pipeline validate",
    run_id: str | None = None,
    report_path: str | None = None,
    log_path: str | None = None,
) -> Message:
    """The message for a validation report: failing checks (most severe first) and the readiness line."""
    from runner.validate.report import SEVERITY_RANK

    exit_code = report.exit_code(fail_on)
    listed = report.failing("warn" if SEVERITY_RANK[fail_on] >= SEVERITY_RANK["warn"] else fail_on)
    counts: dict[str, int] = {"checks": len(report.checks())}
    for check in report.failing("info"):
        counts[f"failing_{check.severity}"] = counts.get(f"failing_{check.severity}", 0) + 1
    items = [Item(c.name, c.severity, c.message or c.title) for c in listed]
    return Message(
        kind="validate",
        run_id=run_id or report.generated_at,
        command=command,
        target=report.target,
        start_date=report.start_date.isoformat(),
        end_date=report.end_date.isoformat(),
        status="failed" if exit_code else "passed",
        exit_code=exit_code,
        counts=counts,
        items=items[:MAX_ITEMS],
        items_total=len(items),
        log_path=log_path,
        report_path=report_path,
        readiness=report.readiness.line if report.readiness is not None else None,
    )


def notify_validation(
    report: Report,
    url: str | None,
    console: Console,
    on: str = "failure",
    fail_on: Severity = "error",
    command: str = "nba-pipeline validate",
    report_path: str | None = None,
    log_path: str | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> Delivery | None:
    """The validate command's hook: call it once the report is built (and written), before exiting.

    ``fail_on`` is the severity that makes validate exit 1: the same run is a
    failure for the notification. None when no URL was given.
    """
    if not url:
        return None
    message = validation_message(report, fail_on, command, report_path=report_path, log_path=log_path)
    return notify(url, message, console, on, timeout)
