"""nba-pipeline: the runner around the dbt project (raw simulator, builds, backfills)."""

__version__ = "0.1.0"
