"""The admin panel (issue 12): shell and page registry, live board, complaints
register, KPIs, reports, settings. See docs/admin.md."""
