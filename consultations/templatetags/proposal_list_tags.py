"""The rows of the proposal list (consultations/proposal_list.html), written in Python.

A page of the big list shows 25 rows, and writing them was a third of the page's CPU: with
tags in the row, each row translated the same words again and reversed its URL; with the
words translated once a page (the row dicts that came next), the template still looked up
and escaped five values per row. Here the words are translated and escaped once per process
and language (`word`), one URL is reversed a page that the rows' primary keys are put into,
and each row is written with one format string: the markup (and the whitespace) the
template's loop wrote, so the page is the same to the byte. The messages are the template's,
so their translations stay."""

from collections.abc import Callable
from functools import lru_cache
from html import escape
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.urls import reverse
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, ngettext

from consultations.choices import ProposalStatus

register = template.Library()

# What a row reads of its proposal: Proposal.objects....values_list(*ROW_FIELDS, named=True)
# (no model instances: building them, with their organisation and author, cost more than
# reading the rows).
ROW_FIELDS = (
    "pk",
    "title",
    "status",
    "support_count",
    "comment_count",
    "author_id",
    "author__name",
    "organisation_id",
    "organisation__name",
    "organisation__verified_at",
)

# One row as the template's loop wrote it, from "<li>" to the indentation of the next one.
ROW = (
    "\n      <li>"
    '\n        <a href="{url}"><strong>P-{pk}</strong> {title}</a>'
    '\n        <span class="badge">{status}</span>'
    '\n        <p class="muted">{by} {who} · {supporters} · {comments}</p>'
    "\n      </li>\n    "
)


def supporters(n: int) -> str:
    """The number of supporters, in words of the reader's language ("3 supporters")."""
    return ngettext("%(n)s supporter", "%(n)s supporters", n) % {"n": n}


def comments(n: int) -> str:
    """The number of comments, in words of the reader's language ("3 comments")."""
    return ngettext("%(n)s comment", "%(n)s comments", n) % {"n": n}


def status_label(status: str) -> str:
    """Proposal.get_status_display() for a status read without its model."""
    try:
        return str(ProposalStatus(status).label)
    except ValueError:  # a value no longer among the choices: shown as stored, as Django does
        return str(status)


# The words of the rows, by kind: a function of the value, in the active language.
WORDS: dict[str, Callable[[Any], str]] = {
    "status": status_label,
    "supporters": supporters,
    "comments": comments,
    "by": lambda _none: gettext("by"),
    "former": lambda _none: gettext("a former participant"),
    "participant": lambda _none: gettext("a participant"),
    "verified": lambda _none: gettext("Verified"),
}


@lru_cache(maxsize=4096)
def word(language: str, kind: str, value: Any = None) -> str:
    """A word of the rows in `language` (the active one), escaped as the template escaped it:
    each translated once per process (a page has about 35 of them, and translating them
    again on each page was half the cost of writing its rows). The catalogs change only with
    the process, a setting or a file (below); the cache holds a few thousand short strings."""
    return escape(WORDS[kind](value))


def _forget_words(**kwargs: Any) -> None:
    """A setting or a file (a new .mo, in development) changed: translate the words again."""
    word.cache_clear()


setting_changed.connect(_forget_words, dispatch_uid="proposal_list_words_setting_changed")
file_changed.connect(_forget_words, dispatch_uid="proposal_list_words_file_changed")


@register.filter
def proposal_items(rows) -> SafeString:
    """The <li> of each row (ROW_FIELDS): link, reference, title, status and the line
    "by <name> · 3 supporters · 2 comments"."""
    marker = 900_000_001  # stands for each row's pk in the one URL reversed
    head, tail = escape(reverse("consultations:proposal-detail", args=[marker])).split(str(marker))
    language = get_language() or ""
    by = word(language, "by")
    out = []
    for row in rows:
        if row.organisation_id is not None:
            who = f"<bdi>{escape(str(row.organisation__name))}</bdi>"
            if row.organisation__verified_at:
                # As ogp_portal.core's verified_badge filter writes it.
                who += (
                    ' <span class="badge badge-ok badge-verified">'
                    f"{word(language, 'verified')}</span>"
                )
        elif row.author_id is not None and row.author__name:
            who = f"<bdi>{escape(row.author__name)}</bdi>"
        elif row.author_id is None:
            who = word(language, "former")
        else:
            who = word(language, "participant")
        out.append(
            ROW.format(
                url=f"{head}{row.pk}{tail}",
                pk=row.pk,
                title=escape(row.title),
                status=word(language, "status", row.status),
                by=by,
                who=who,
                supporters=word(language, "supporters", row.support_count),
                comments=word(language, "comments", row.comment_count),
            )
        )
    return SafeString("".join(out))
