"""What the warehouse holds: raw row accounting and the quarantine."""
from __future__ import annotations

from runner.config import Settings
from runner.console import Console
from runner.errors import PipelineError
from runner.warehouse import connect, relation_exists


PHASE3_TABLES = (
    "team_offense_game_summary",
    "team_defense_game_summary",
    "player_game_summary",
    "upcoming_team_game_context",
    "upcoming_player_game_context",
)


def _phase_tables(con, console: Console, schema: str, tables: tuple[str, ...]) -> None:
    """Rows and game dates per season of each built table of a phase."""
    rows = []
    for table in tables:
        if not relation_exists(con, schema, table):
            continue
        rows += con.execute(
            f"""
            select '{table}', season_year, count(*), count(distinct game_date),
                   min(game_date), max(game_date)
            from {schema}.{table}
            group by season_year
            order by season_year
            """
        ).fetchall()
    if rows:
        console.table(
            f"{schema} rows per season",
            ["table", "season", "rows", "game dates", "first", "last"],
            [(t, str(s), n, d, str(a), str(b)) for t, s, n, d, a, b in rows],
        )


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
            _phase_tables(con, console, "nba_analytics", PHASE3_TABLES)
        else:
            from runner.simulator.schema import RAW_SCHEMA, TABLES

            rows = [
                (name, con.execute(f"select count(*) from {RAW_SCHEMA}.{name}").fetchone()[0])
                for name in TABLES
                if relation_exists(con, RAW_SCHEMA, name)
            ]
            console.table(f"Raw tables, {settings.duckdb_path.name}", ["table", "rows"], rows)
            console.info("Staging not built yet: run `nba-pipeline build --select 'staging orchestration'`.")
