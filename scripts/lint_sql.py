"""sqlfluff with dbt's sqlparse settings: `python scripts/lint_sql.py lint|fix ...` (named so it does not shadow the package).

dbt's own CLI lifts sqlparse's grouping limits (its `--sqlparse` option defaults to no limit) before
it compiles; sqlfluff's dbt templater calls dbt's compiler without that CLI, so a model whose
compiled SQL (ephemeral models inlined) passes 10,000 tokens would be skipped with
"Maximum number of tokens exceeded". This applies dbt's defaults, then hands over to sqlfluff's CLI.
"""
import sqlparse.engine.grouping as grouping
from sqlfluff.cli.commands import cli

grouping.MAX_GROUPING_TOKENS = None
grouping.MAX_GROUPING_DEPTH = None

if __name__ == "__main__":
    cli()
