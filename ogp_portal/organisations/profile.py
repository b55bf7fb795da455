"""What other parts of the portal show on an organisation's public page (its proposals and
coalitions, the commitment teams it is on, its assessments). organisations/ is the ground
floor and knows none of them: each higher app registers a section in its AppConfig.ready."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ogp_portal.users.types import AnyUser

from .models import Organisation


@dataclass
class ProfileSection:
    """One section of the page: a heading, the template that renders it, and its context."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


# Each provider returns its section for `organisation` as `user` may see it, or None.
SectionProvider = Callable[[Organisation, AnyUser], ProfileSection | None]
_PROVIDERS: list[SectionProvider] = []


def register_profile_section(provider: SectionProvider) -> SectionProvider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def profile_sections(organisation: Organisation, user: AnyUser) -> list[ProfileSection]:
    sections = (provider(organisation, user) for provider in _PROVIDERS)
    return [section for section in sections if section is not None]
