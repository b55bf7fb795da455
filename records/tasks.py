"""Celery tasks of records (found by autodiscovery): the dashboards' periodic count."""

from .dashboard.refresh import refresh_dashboards_task

__all__ = ["refresh_dashboards_task"]
