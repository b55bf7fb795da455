"""Presentation helpers of the forum's pages."""

from django import template

from forums import publications
from ogp_portal.organisations.models import Member

register = template.Library()


@register.simple_tag
def member_links(member: Member) -> list[tuple[str, str]]:
    """The links higher layers add to the forum navigation (forums/publications.py)."""
    return publications.member_links(member)
