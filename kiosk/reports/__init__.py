"""Service KPIs and the daily and monthly reports (docs/reports.md).

- :mod:`kiosk.reports.grain` — the KPI grain computed from tickets, events and ratings;
- :mod:`kiosk.reports.rollup` — the daily rollup of final days;
- :mod:`kiosk.reports.kpi` — the KPIs of a period, by day, service, counter, staff;
"""
