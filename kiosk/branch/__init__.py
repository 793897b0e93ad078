"""The branch: identity, hours, working-day calendar and settings (loaded per unit of
work as BranchInfo; kept as TOML for export and import)."""
