"""What the home page shows about the process, filled in by the apps that own it.

core/ owns the hook; consultations register the open and upcoming windows and the latest
responses, forums the coming meetings and latest decisions (AppConfig.ready). Each section is
a template and a function that returns its context; each keeps to a fixed number of rows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class HomeSection:
    template: str
    data: Callable[[HttpRequest], dict[str, Any]]
    order: int = 50


_SECTIONS: list[HomeSection] = []


def register_home_section(section: HomeSection) -> HomeSection:
    if section not in _SECTIONS:
        _SECTIONS.append(section)
        _SECTIONS.sort(key=lambda s: s.order)
    return section


def home_sections(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    return [(section.template, section.data(request)) for section in _SECTIONS]
