"""The rows of the proposal list (consultations/proposal_list.html), written in Python.

A page of the big list shows 25 rows, and writing them was a third of the page's CPU: with
tags in the row, each row translated the same words again and reversed its URL; with the
words translated once (the row dicts that came next), the template still looked up and
escaped five values per row. Here a page translates and escapes each word, status and count
once, reverses one URL that the rows' primary keys are put into, and writes each row with
one format string: the markup (and the whitespace) the template's loop wrote, so the page
is the same to the byte. The messages are the template's, so their translations stay."""

from html import escape
from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

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


@register.filter
def proposal_items(rows) -> SafeString:
    """The <li> of each row (ROW_FIELDS): link, reference, title, status and the line
    "by <name> · 3 supporters · 2 comments"."""
    marker = 900_000_001  # stands for each row's pk in the one URL reversed
    head, tail = escape(reverse("consultations:proposal-detail", args=[marker])).split(str(marker))
    # Each word once per page, escaped as the template escaped it.
    words: dict[Any, str] = {}

    def word(key: Any, make) -> str:
        if key not in words:
            words[key] = escape(make())
        return words[key]

    badge = ""  # the "Verified" badge (ogp_portal.core name_tags.verified_badge), once needed
    out = []
    for row in rows:
        if row.organisation_id is not None:
            who = f"<bdi>{escape(str(row.organisation__name))}</bdi>"
            if row.organisation__verified_at:
                badge = badge or (
                    ' <span class="badge badge-ok badge-verified">'
                    f"{escape(gettext('Verified'))}</span>"
                )
                who += badge
        elif row.author_id is not None and row.author__name:
            who = f"<bdi>{escape(row.author__name)}</bdi>"
        elif row.author_id is None:
            who = word("former", lambda: gettext("a former participant"))
        else:
            who = word("participant", lambda: gettext("a participant"))
        n_support, n_comments = row.support_count, row.comment_count
        out.append(
            ROW.format(
                url=f"{head}{row.pk}{tail}",
                pk=row.pk,
                title=escape(row.title),
                status=word(("status", row.status), lambda s=row.status: status_label(s)),
                by=word("by", lambda: gettext("by")),
                who=who,
                supporters=word(("supporters", n_support), lambda n=n_support: supporters(n)),
                comments=word(("comments", n_comments), lambda n=n_comments: comments(n)),
            )
        )
    return SafeString("".join(out))
