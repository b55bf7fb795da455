"""Links from a member's page to its forum, repository, open data and dashboards.

organisations/ owns the hook; forums and records register their links (AppConfig.ready).
"""

from collections.abc import Callable

MemberLinks = Callable[[object], list[tuple[str, str]]]
_PROVIDERS: list[MemberLinks] = []


def register_member_links(provider: MemberLinks) -> MemberLinks:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def member_links(member: object) -> list[tuple[str, str]]:
    links: list[tuple[str, str]] = []
    for provider in _PROVIDERS:
        links.extend(provider(member))
    return links
