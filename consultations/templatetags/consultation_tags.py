"""Template tags other apps' pages use to show consultation content (the commitment page shows
its comments through this tag, so commitments/ never imports consultations/)."""

import datetime
import functools
from typing import Any, NamedTuple

from django import template
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from consultations.choices import ModerationState
from consultations.views.threads import comment_thread_context, consultation_for_commitment
from ogp_portal.core.templatetags.name_tags import bdi, verified_badge

register = template.Library()


class ShownComment(NamedTuple):
    """Everything the reader-independent part of a comment's HTML shows, with the language and
    the time zone it is written in: the key its HTML is kept under (comment_article). Whatever
    changes (an edit, a hiding, a deletion, a renamed author, another language) gives another
    key, so a kept fragment is never stale and nothing has to forget it."""

    language: str
    pk: int
    who: str | None  # the name shown; "" for "a participant", None for a former participant
    when: datetime.datetime  # posted at, in the zone the page shows
    zone: str  # equal instants in two zones compare equal: the zone tells them apart
    edited: bool
    deleted: bool
    hidden: bool
    hidden_reason: str
    lead_answer: bool
    on_progress: bool  # a monitoring comment (no consultation), not a reply
    body_html: str


def shown_comment(comment, use_tz: bool = True) -> ShownComment:
    author = comment.author if comment.author_id else None
    who: str | None
    if author is None:
        who = None
    elif comment.show_name and author.name:
        who = author.name
    else:
        who = ""
    # What the date filter receives: local time unless the template turned it off.
    # django-stubs lacks template_localtime (django.utils.timezone has it).
    when = timezone.template_localtime(comment.created_at, use_tz)  # type: ignore[attr-defined]
    return ShownComment(
        language=translation.get_language(),
        pk=comment.pk,
        who=who,
        when=when,
        zone=str(getattr(when, "tzinfo", "")),
        edited=bool(comment.edited_at),
        deleted=bool(comment.deleted_at),
        hidden=comment.moderation_state == ModerationState.HIDDEN,
        hidden_reason=comment.hidden_reason,
        lead_answer=comment.is_lead_answer,
        on_progress=not comment.consultation_id and not comment.parent_id,
        body_html=comment.body_html,
    )


# A page of a thread shows about 23 comments; rendering each again (its date in the reader's
# language, its marks, the template) was most of the page's CPU. Kept per process, no network
# and no pickling: a hit is a dictionary lookup. About 1 KB each (the body is in the key).
COMMENT_FRAGMENTS_KEPT = 20_000
_ARTICLE_END = "\n  \n</article>\n"


@functools.lru_cache(maxsize=COMMENT_FRAGMENTS_KEPT)
def _article_start(shown: ShownComment) -> str:
    """What comment_article writes before the reader's own buttons: the article, its meta
    line and the text (or why there is none). Reads nothing but `shown` (whose language is
    the active one), so each key has one answer."""
    start = format_html(
        '<article id="comment-{}" class="comment{}">\n  <p class="comment-meta">\n    {}\n'
        "  </p>\n  ",
        shown.pk,
        " lead-answer" if shown.lead_answer else "",
        _meta(shown),
    )
    if shown.deleted:
        deleted = conditional_escape(gettext("This comment was deleted."))
        return f'{start}\n    <p class="muted">{deleted}</p>\n  \n</article>\n'
    if shown.hidden:
        # As {% blocktranslate %} writes it: the reason escaped, the translation as it is.
        reason = gettext("Hidden by a moderator: %(reason)s") % {
            "reason": conditional_escape(shown.hidden_reason)
        }
        return f'{start}\n    <p class="muted">{reason}</p>\n    '
    # body_html went through Markdown and the nh3 sanitiser in the service
    # (consultations.text.render_user_text); only that makes it safe to output.
    return f'{start}\n    \n    <div class="comment-body">{shown.body_html}</div>\n    '


def _meta(shown: ShownComment) -> SafeString:
    """The line above a comment: who (the name they chose to show, else "a participant"),
    when, and its marks."""
    parts = []
    if not shown.deleted:
        who: str
        if shown.who:
            who = format_html("<bdi>{}</bdi>", shown.who)  # as the bdi filter writes it
        elif shown.who is None:
            who = gettext("a former participant")
        else:
            who = gettext("a participant")
        parts.append(format_html("<strong>{}</strong>", who))
    parts.append(time_element(shown.when))
    if shown.edited and not shown.deleted:
        parts.append(format_html('<span class="badge">{}</span>', gettext("edited")))
    if shown.lead_answer:
        badge = gettext("Answer from the commitment lead")
        parts.append(format_html('<span class="badge">{}</span>', badge))
    elif shown.on_progress:
        parts.append(format_html('<span class="badge">{}</span>', gettext("On progress")))
    return format_html_join(" · ", "{}", ((part,) for part in parts))


@register.simple_tag(takes_context=True)
def comment_article(context, comment) -> SafeString:
    """One comment of a thread (consultations/includes/_comment_thread.html): the part every
    reader sees, kept by _article_start, and the buttons of this reader (edit, delete,
    report, restore), rendered for each request from _comment_actions.html."""
    shown = shown_comment(comment, context.use_tz)
    start = _article_start(shown)
    if shown.deleted:
        return mark_safe(start)  # noqa: S308 -- built from escaped parts above
    if shown.hidden:
        has_actions = bool(context.get("may_moderate_comments"))
    else:
        user = context.get("user")
        has_actions = bool(user is not None and user.is_authenticated)
    actions = ""
    if has_actions:
        template = context.template.engine.get_template(
            "consultations/includes/_comment_actions.html"
        )
        with context.push(comment=comment):
            actions = f"\n      {template.render(context).strip()}\n    "
    return mark_safe(f"{start}{actions}{_ARTICLE_END}")  # noqa: S308 -- escaped parts


@register.filter(expects_localtime=True)
def time_element(value, format_name="DATETIME_FORMAT"):
    """{{ comment.created_at|time_element }}: what
    <time datetime="{{ value|date:'c' }}">{{ value|date:"DATETIME_FORMAT" }}</time> writes,
    with the value resolved and made local once instead of twice (a page of a thread shows
    dozens of them)."""
    try:
        return format_html(
            '<time datetime="{}">{}</time>',
            value.isoformat(),
            formats.date_format(value, format_name),
        )
    except AttributeError:  # no date (as the date filter, nothing is written)
        return ""


@register.inclusion_tag("consultations/includes/_comments_commitment.html", takes_context=True)
def commitment_comments(context, commitment):
    """The comment thread of a (draft) commitment, with the form while a window is open."""
    request = context["request"]
    return {
        **comment_thread_context(
            request, consultation=consultation_for_commitment(commitment), commitment=commitment
        ),
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("consultations/includes/_entry_reconsideration.html", takes_context=True)
def entry_reconsideration(context, entry):
    """On an input's page: its reconsideration and answer, or the author's link to ask."""
    from consultations.services.reconsideration import reconsideration_refusal

    user = context["request"].user
    asked = getattr(entry, "reconsideration", None)
    may_ask = asked is None and user.has_perm("consultations.request_reconsideration", entry)
    return {
        "entry": entry,
        "reconsideration": asked,
        "may_ask": may_ask and not reconsideration_refusal(entry),
    }


# Both counts in words, as every row of the proposal list says them (proposal_rows). They
# replaced a {% blocktranslate count %}: same messages, so the same translations.
@register.filter
def supporters(n: int) -> str:
    """The number of supporters, in words of the reader's language ("3 supporters")."""
    return ngettext("%(n)s supporter", "%(n)s supporters", n) % {"n": n}


@register.filter
def comments(n: int) -> str:
    """The number of comments, in words of the reader's language ("3 comments")."""
    return ngettext("%(n)s comment", "%(n)s comments", n) % {"n": n}


@register.filter
def proposal_rows(proposals) -> list[dict[str, Any]]:
    """What each row of the proposal list shows: link, reference, title, status and the line
    "by <name> · 3 supporters · 2 comments", ready to print.

    Built here, not with tags in the row, because those made the rows a third of the page's
    CPU: every row translated the same words again (each lookup costs as much as a row's
    own text) and reversed its URL (more again). Here a page translates each word, status
    and count once, and reverses one URL that the rows' primary keys are put into. The
    messages are the template's, so their translations stay."""
    marker = 900_000_001  # stands for each row's pk in the one URL reversed
    head, tail = reverse("consultations:proposal-detail", args=[marker]).split(str(marker))
    words: dict[Any, str] = {}

    def word(key: Any, make) -> str:
        if key not in words:
            words[key] = make()
        return words[key]

    rows = []
    for proposal in proposals:
        who: str
        if proposal.organisation:
            who = format_html(
                "{}{}", bdi(proposal.organisation.name), verified_badge(proposal.organisation)
            )
        elif proposal.author_id and proposal.author.name:
            who = bdi(proposal.author.name)
        elif not proposal.author_id:
            who = word("former", lambda: gettext("a former participant"))
        else:
            who = word("participant", lambda: gettext("a participant"))
        n_support, n_comments = proposal.support_count, proposal.comment_count
        byline = format_html(
            "{} {} · {} · {}",
            word("by", lambda: gettext("by")),
            who,
            word(("supporters", n_support), lambda n=n_support: supporters(n)),
            word(("comments", n_comments), lambda n=n_comments: comments(n)),
        )
        rows.append(
            {
                "url": f"{head}{proposal.pk}{tail}",
                "reference": proposal.reference,
                "title": proposal.title,
                "status": word(("status", proposal.status), proposal.get_status_display),
                "byline": byline,
            }
        )
    return rows
