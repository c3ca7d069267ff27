"""Alerts (--notify): message content, Slack format, delivery failures, and the URL kept secret.

Fast: the backfill runs with the fake dbt of the backfill tests; the webhook is
a local HTTP server (runner/tests/webhook.py).
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from typer.testing import CliRunner

from runner.cli import app
from runner.console import CaptureConsole
from runner.errors import PipelineError, UsageError
from runner.redact import redact_argv
from runner.services import notify
from runner.services.backfill import BackfillRequest, backfill
from runner.tests.backfill.fakes import FakeDbt

# the backfill service tests' fake world: ten days of schedule, one without games (env: a pytest fixture)
from runner.tests.backfill.test_service import BAD, DAYS, env  # noqa: F401
from runner.tests.webhook import TOKEN
from runner.validate.report import Check, Readiness, Report, Section, ThresholdResult

SECRETS = TOKEN.split("/")  # no piece of the path may leak either
# three of the fake project's five models: a failed date in player_game_summary blocks the context (fast runs)
MODELS = ("team_offense_game_summary", "player_game_summary", "upcoming_player_game_context")


def run(settings, fake, **kw):
    console = CaptureConsole()
    request = BackfillRequest(start_date=DAYS[0], end_date=DAYS[-1], chunk_days=4, select=MODELS,
                              command_line="nba-pipeline backfill (test)", **kw)
    try:
        return backfill(settings, console, request, dbt_factory=lambda s: fake), console, 0
    except PipelineError as exc:
        return exc, console, exc.exit_code


def faulty(db):
    return FakeDbt(db, fail={"player_game_summary": {BAD: 2}})


def last_run(db):
    with duckdb.connect(str(db)) as con:
        cols = [c[0] for c in con.execute("select * from nba_orchestration.backfill_runs limit 0").description]
        row = con.execute("select * from nba_orchestration.backfill_runs order by started_at desc limit 1").fetchone()
    return dict(zip(cols, row))


def everything_stored(db) -> str:
    """Every value of every nba_orchestration table, as text."""
    with duckdb.connect(str(db)) as con:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'nba_orchestration'").fetchall()]
        return "\n".join(str(con.execute(f"select * from nba_orchestration.{t}").fetchall()) for t in tables)


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


# -- a backfill run ---------------------------------------------------------------------------------
def test_a_run_with_a_failed_date_sends_one_message_naming_it(env, webhook):
    settings, db = env
    exc, console, code = run(settings, faulty(db), notify_url=webhook.url)
    assert code == 1
    assert len(webhook.received) == 1
    got = webhook.received[0]
    assert got.path == f"/services/{TOKEN}" and got.content_type.startswith("application/json")
    body = got.body
    run_row = last_run(db)
    assert body["kind"] == "backfill" and body["run_id"] == run_row["run_id"]
    assert body["command"] == "nba-pipeline backfill (test)"
    assert (body["start_date"], body["end_date"]) == ("2024-11-01", "2024-11-10")
    assert (body["status"], body["exit_code"]) == ("failed", 1)
    # counts per status: the same numbers as the run history
    assert body["counts"]["failed"] == run_row["failed"] == 1
    assert body["counts"]["blocked"] == run_row["blocked"] == 1  # the same date only
    assert body["counts"]["succeeded"] == run_row["succeeded"]
    first = body["items"][0]
    assert first == {"what": "player_game_summary", "status": "failed", "date": "2024-11-03",
                     "reason": "pgs_gate: 2 rows of 10 expected (20.0 % < 90 %)"}
    assert body["items"][1]["what"] == "upcoming_player_game_context" and body["items"][1]["status"] == "blocked"
    assert body["items_total"] == 2 and len(body["items"]) == 2
    assert body["log_path"] == run_row["log_path"] and body["log_path"].endswith(f"backfill-{body['run_id']}.log")
    assert "FAILED" in body["summary"] and "1 failed" in body["summary"]
    # the run history says it was sent, naming the host only
    assert (run_row["notify_status"], run_row["notify_host"]) == ("sent", f"127.0.0.1:{webhook.port}")
    assert "warn" not in {level for level, _ in console.messages if "notification" in _}


def test_a_clean_run_sends_nothing_unless_asked(env, webhook):
    settings, db = env
    _, _, code = run(settings, FakeDbt(db), notify_url=webhook.url)
    assert code == 0 and webhook.received == []
    assert last_run(db)["notify_status"] == "not_sent"

    _, _, code = run(settings, FakeDbt(db), notify_url=webhook.url, notify_on="success", resume=False)
    assert code == 0 and len(webhook.received) == 1
    assert (webhook.received[0].body["status"], webhook.received[0].body["items"]) == ("succeeded", [])
    # the other choices of --notify-on: test_when_to_send


def test_no_url_no_message_and_no_notification_columns_filled(env, webhook):
    settings, db = env
    _, _, code = run(settings, faulty(db))
    assert code == 1 and webhook.received == []
    row = last_run(db)
    assert (row["notify_host"], row["notify_status"]) == (None, None)


@pytest.mark.parametrize("broken", ["refused", "500"])
def test_an_undelivered_message_warns_once_and_keeps_the_exit_code(env, webhook, closed_url, broken):
    settings, db = env
    url = closed_url if broken == "refused" else webhook.url
    webhook.status = 500
    _, console, code = run(settings, faulty(db), notify_url=url)
    assert code == 1
    warnings = [m for level, m in console.messages if level == "warn" and "notification" in m]
    host = url.split("/")[2]
    assert len(warnings) == 1 and warnings[0].startswith(f"notification to {host} not delivered: ")
    detail = {"refused": "Connection refused", "500": "HTTP 500 Internal Server Error"}[broken]
    assert detail in warnings[0]
    row = last_run(db)
    assert (row["status"], row["failed"], row["blocked"], row["notify_status"], row["notify_host"]) == (
        "failed", 1, 1, "not_delivered", host)
    assert detail in row["notify_detail"]
    assert_no_secret(console.text(), everything_stored(db))

    if broken == "refused":  # a clean run keeps exit 0 when its (asked-for) message cannot be delivered
        _, console, code = run(settings, FakeDbt(db), notify_url=url, notify_on="always")
        assert code == 0
        assert len([m for level, m in console.messages if level == "warn" and "notification" in m]) == 1


def test_a_webhook_that_does_not_answer_in_time_is_not_delivered(webhook):
    webhook.delay = 1.0
    console = CaptureConsole()
    delivery = notify.notify(webhook.url, message(), console, timeout=0.2)
    assert (delivery.status, delivery.detail) == ("not_delivered", "no answer within 0.2 s")
    assert console.messages == [("warn", f"notification to 127.0.0.1:{webhook.port} not delivered: "
                                         "no answer within 0.2 s (the run's outcome is unchanged)")]


def test_a_crashed_run_is_alerted_with_its_error_and_still_raises(env, webhook):
    settings, db = env

    class Crashing(FakeDbt):
        def build(self, select=(), vars=None, **kw):
            if select and select[0] == "player_game_summary":
                raise RuntimeError("the warehouse went away")
            return super().build(select, vars, **kw)

    with pytest.raises(RuntimeError, match="went away"):
        backfill(settings, CaptureConsole(), BackfillRequest(start_date=DAYS[0], end_date=DAYS[-1], select=MODELS,
                                                             notify_url=webhook.url), dbt_factory=lambda s: Crashing(db))
    assert len(webhook.received) == 1
    body = webhook.received[0].body
    assert (body["status"], body["exit_code"]) == ("error", 1)
    assert body["items"][0] == {"what": "run", "status": "error", "date": None,
                                "reason": "RuntimeError: the warehouse went away"}
    row = last_run(db)
    assert (row["status"], row["notify_status"]) == ("error", "sent")


def test_an_older_run_history_gains_the_notification_columns(env, webhook):
    settings, db = env
    with duckdb.connect(str(db)) as con:  # backfill_runs as the first release created it, with a run
        con.execute("create schema nba_orchestration")
        con.execute("create table nba_orchestration.backfill_runs (run_id varchar primary key, command_line varchar, "
                    "selection varchar, start_date date, end_date date, options varchar, host varchar, pid integer, "
                    "status varchar, succeeded integer, failed integer, blocked integer, skipped integer, "
                    "duration_seconds double, errors varchar, log_path varchar, started_at timestamp, "
                    "finished_at timestamp)")
        con.execute("insert into nba_orchestration.backfill_runs (run_id, status, started_at) "
                    "values ('old-run', 'succeeded', timestamp '2024-01-01 00:00:00')")
    _, _, code = run(settings, faulty(db), notify_url=webhook.url)
    assert code == 1 and len(webhook.received) == 1
    with duckdb.connect(str(db)) as con:
        rows = con.execute("select run_id, status, notify_status from nba_orchestration.backfill_runs "
                           "order by started_at").fetchall()
    assert rows[0] == ("old-run", "succeeded", None)
    assert rows[1][1:] == ("failed", "sent")


# -- the CLI: options, env var, the secret -------------------------------------------------------------
@pytest.fixture
def cli_env(env, monkeypatch):
    settings, db = env
    fake = faulty(db)
    monkeypatch.setattr("runner.services.backfill.make_dbt", lambda s: fake)
    return db, fake


RANGE = ["--start-date", "2024-11-01", "--end-date", "2024-11-10", "--select", ",".join(MODELS)]


def test_the_url_never_shows_in_output_ledger_run_history_or_log(cli_env, webhook, monkeypatch):
    db, _ = cli_env
    argv = ["--duckdb-path", str(db), "backfill", *RANGE, "--notify", webhook.url]
    monkeypatch.setattr("sys.argv", ["nba-pipeline", *argv])  # the command line the run history stores
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 1, result.output
    assert len(webhook.received) == 1
    body = webhook.received[0].body
    assert body["command"].startswith("nba-pipeline --duckdb-path")
    assert f"--notify http://127.0.0.1:{webhook.port}/…" in body["command"]
    row = last_run(db)
    assert row["command_line"] == body["command"]
    log = open(row["log_path"]).read()
    assert '"event": "notification"' in log and '"notify_status": "sent"' in log
    assert_no_secret(result.output, everything_stored(db), log, str(body))


def test_the_env_var_sets_the_url_and_when_to_send(cli_env, webhook):
    db, fake = cli_env
    fake.fail = {}
    result = CliRunner().invoke(app, ["--duckdb-path", str(db), "backfill", *RANGE],
                                env={"NBA_NOTIFY_URL": webhook.url, "NBA_NOTIFY_ON": "always"})
    assert result.exit_code == 0, result.output
    assert len(webhook.received) == 1 and webhook.received[0].body["status"] == "succeeded"


@pytest.mark.parametrize("args, message", [
    (["--notify", f"ftp://example.com/{TOKEN}"], "must be an http:// or https:// URL"),
    (["--notify", TOKEN], "must be an http:// or https:// URL"),
    (["--notify", "http://127.0.0.1:1/x", "--notify-on", "sometimes"], "--notify-on must be one of"),
])
def test_a_bad_url_or_choice_is_refused_before_anything_runs(cli_env, args, message):
    db, fake = cli_env
    result = CliRunner().invoke(app, ["--duckdb-path", str(db), "backfill", *RANGE, *args])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    assert fake.builds == []
    assert_no_secret(result.output)


# -- the message, the formats, the delivery ------------------------------------------------------------
def message(**kw) -> notify.Message:
    base = dict(kind="backfill", run_id="r1", command="nba-pipeline backfill", target="duckdb",
                start_date="2024-11-01", end_date="2024-11-10", status="failed", exit_code=1,
                counts={"failed": 1, "succeeded": 4},
                items=[notify.Item("player_game_summary", "failed", "coverage <90 % & worse", "2024-11-03")],
                items_total=12, log_path="/logs/backfill-r1.log")
    return notify.Message(**{**base, **kw})


def test_a_slack_webhook_gets_text_and_blocks_and_any_other_url_the_plain_json():
    slack = notify.payload_for(f"https://hooks.slack.com/services/{TOKEN}", message())
    assert set(slack) == {"text", "blocks"}
    assert slack["text"].startswith("nba-pipeline backfill FAILED (failed, exit 1) on duckdb 2024-11-01..2024-11-10")
    assert [b["type"] for b in slack["blocks"]] == ["header", "section", "section", "section", "context"]
    assert "failed" in slack["blocks"][0]["text"]["text"]
    fields = {f["text"].split("\n")[0]: f["text"].split("\n")[1] for f in slack["blocks"][1]["fields"]}
    assert fields["*Range*"] == "2024-11-01..2024-11-10" and fields["*Counts*"] == "failed: 1, succeeded: 4"
    failures = slack["blocks"][3]["text"]["text"]
    assert failures.startswith("*First failed dates*\n• *player_game_summary* 2024-11-03 (failed): ")
    assert "coverage &lt;90 % &amp; worse" in failures and failures.endswith("… and 11 more")
    assert "log /logs/backfill-r1.log" in slack["blocks"][4]["elements"][0]["text"]

    plain = notify.payload_for(f"https://alerts.example.com/hook/{TOKEN}", message())
    assert plain["run_id"] == "r1" and plain["items"][0]["date"] == "2024-11-03" and "blocks" not in plain
    long = notify.slack_payload(message(items=[notify.Item("m", "failed", "x" * 5000, "2024-11-03")]))
    assert len(long["blocks"][3]["text"]["text"]) <= 3000


def test_hosts_and_command_lines_shown_without_the_secret():
    url = f"https://hooks.slack.com/services/{TOKEN}?x=1"
    assert notify.url_host(url) == "hooks.slack.com"
    assert notify.url_host(f"http://127.0.0.1:8080/{TOKEN}") == "127.0.0.1:8080"
    assert redact_argv(["nba-pipeline", "backfill", "--notify", url, f"--notify={url}"]) == (
        "nba-pipeline backfill --notify https://hooks.slack.com/… --notify=https://hooks.slack.com/…")
    with pytest.raises(UsageError) as refused:
        notify.check_url(f"hooks.slack.com/services/{TOKEN}")
    assert_no_secret(str(refused.value))
    assert notify.check_url(None) is None and notify.check_url("  ") is None


@pytest.mark.parametrize("on, failed, sent", [
    ("failure", True, True), ("failure", False, False), ("success", True, False),
    ("success", False, True), ("always", True, True), ("always", False, True), ("never", False, False),
])
def test_when_to_send(on, failed, sent):
    assert notify.should_send(on, failed) is sent


def test_a_redirect_is_not_a_delivery(webhook):
    webhook.status = 302
    delivery = notify.post(webhook.url, {"a": 1}, timeout=2)
    assert (delivery.status, delivery.detail) == ("not_delivered", "HTTP 302 Found")


# -- validate's hook -------------------------------------------------------------------------------
def report(passed: bool) -> Report:
    checks = [
        Check("coverage", "coverage.player_game_summary.dates", "player_game_summary: game dates with rows",
              "error", passed, 88.0, ">= 90 %", "" if passed else "player_game_summary: 3 game dates without rows "
              "(2024-11-03, 2024-11-04, 2024-11-07)"),
        Check("null_rates", "null_rates.player_game_summary.minutes_played", "minutes_played NULL rate",
              "warn", passed, 12.0, "< 10 %", "" if passed else "player_game_summary.minutes_played: 12.0 % NULL"),
        Check("duplicates", "duplicates.player_game_summary", "no duplicate keys", "error", True, 0, "= 0"),
    ]
    verdict = Readiness("READY" if passed else "NOT READY", [
        ThresholdResult("phase3_coverage", 88.0, ">= 90 %", ">= 85 %", passed, [] if passed else ["2024-11"])])
    return Report("duckdb", dt.date(2024, 11, 1), dt.date(2024, 11, 30), [], "2026-01-01T00:00:00Z",
                  sections=[Section("coverage", "Coverage", checks)], readiness=verdict)


def test_validate_sends_the_failing_checks_and_the_readiness_line(webhook):
    console = CaptureConsole()
    delivery = notify.notify_validation(report(False), webhook.url, console, report_path="/tmp/report.html",
                                        command="nba-pipeline validate --start-date 2024-11-01")
    assert delivery.status == "sent" and len(webhook.received) == 1
    body = webhook.received[0].body
    assert (body["kind"], body["status"], body["exit_code"]) == ("validate", "failed", 1)
    assert (body["start_date"], body["end_date"], body["report_path"]) == ("2024-11-01", "2024-11-30", "/tmp/report.html")
    assert body["counts"] == {"checks": 3, "failing_error": 1, "failing_warn": 1}
    assert [i["what"] for i in body["items"]] == ["coverage.player_game_summary.dates",
                                                  "null_rates.player_game_summary.minutes_played"]
    assert "2024-11-03" in body["items"][0]["reason"]
    assert body["readiness"] == "NOT READY: phase3_coverage"

    assert notify.notify_validation(report(True), webhook.url, console).status == "not_sent"
    assert notify.notify_validation(report(False), None, console) is None
    assert len(webhook.received) == 1
    # fail_on=warn: a report failing only warnings is a failure to notify as well
    warn_only = report(True)
    warn_only.sections[0].checks[1].passed = False
    assert notify.notify_validation(warn_only, webhook.url, console).status == "not_sent"
    assert notify.notify_validation(warn_only, webhook.url, console, fail_on="warn").status == "sent"
    assert len(webhook.received) == 2
