"""Vital-signs and who-is-missing dashboards (issue #18): numbers counted by a periodic job
into records.DashboardSnapshot (refresh.py), drawn from that one row (charts.py, views)."""
