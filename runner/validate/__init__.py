"""`nba-pipeline validate`: checks computed in the warehouse, one report, several formats."""
