"""The OGP thresholds in force for a rule set (settings.OGP_RULES)."""

from typing import Any

from django.conf import settings

DEFAULT_STANDARDS_VERSION = "2021"


def rule(name: str, standards_version: str | None = None) -> Any:
    """The value of threshold `name` under `standards_version` (2021 when not given)."""
    return settings.OGP_RULES[standards_version or DEFAULT_STANDARDS_VERSION][name]
