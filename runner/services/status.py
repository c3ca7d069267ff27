"""What the warehouse holds: raw row accounting and the quarantine."""
from __future__ import annotations

from runner.config import Settings
from runner.console import Console
from runner.errors import PipelineError
from runner.warehouse import connect, relation_exists


def status(settings: Settings, console: Console) -> None:
    with connect(settings) as con:
        if relation_exists(con, "nba_orchestration", "raw_row_accounting"):
            rows = con.execute(
                """
                select source_table, raw_rows, staged_rows, quarantined_rows, superseded_rows,
                       raw_rows - staged_rows - quarantined_rows - superseded_rows as unaccounted
                from nba_orchestration.raw_row_accounting
                order by source_table
                """
            ).fetchall()
            console.table(
                f"Raw rows, {settings.duckdb_path.name}",
                ["source table", "raw", "staged", "quarantined", "superseded", "unaccounted"],
                rows,
            )
            reasons = con.execute(
                """
                select source_table, reason, count(*) as rows
                from nba_orchestration.raw_quarantine
                group by all
                order by source_table, reason
                """
            ).fetchall()
            if reasons:
                console.table("Quarantined raw rows", ["source table", "reason", "rows"], reasons)
            else:
                console.info("Quarantine: empty (every raw row was usable).")
            unaccounted = [r[0] for r in rows if r[5] != 0]
            if unaccounted:
                raise PipelineError(f"raw rows unaccounted for in: {', '.join(unaccounted)}")
        else:
            from runner.simulator.schema import RAW_SCHEMA, TABLES

            rows = [
                (name, con.execute(f"select count(*) from {RAW_SCHEMA}.{name}").fetchone()[0])
                for name in TABLES
                if relation_exists(con, RAW_SCHEMA, name)
            ]
            console.table(f"Raw tables, {settings.duckdb_path.name}", ["table", "rows"], rows)
            console.info("Staging not built yet: run `nba-pipeline build --select 'staging orchestration'`.")
