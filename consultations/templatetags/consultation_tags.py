"""Template tags other apps' pages use to show consultation content (the commitment page shows
its comments through this tag, so commitments/ never imports consultations/)."""

import datetime
import hashlib
from collections.abc import Callable
from html import escape
from typing import NamedTuple

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.utils import dateformat, dates, formats, timezone, translation
from django.utils.autoreload import file_changed
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from consultations.choices import ModerationState
from consultations.views.threads import comment_thread_context, consultation_for_commitment
from ogp_portal.core.kept_fragments import KeptFragments

register = template.Library()


class ShownComment(NamedTuple):
    """Everything the reader-independent part of a comment's HTML shows, with the language and
    the time zone it is written in: the key its HTML is kept under (comment_article). Whatever
    changes (an edit, a hiding, a deletion, a renamed author, another language) gives another
    key, so a kept fragment is never stale and nothing has to forget it."""

    language: str | None
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
    body: bytes  # a digest of body_html: the key stays small whatever the comment's length


class PageFacts(NamedTuple):
    """What every comment of one page is written in and for whom: read once per page, not per
    comment (each read goes through the thread-local of Django's translation and time zone,
    or the request's lazy user)."""

    language: str | None
    zone: datetime.tzinfo | None  # None: times are shown as stored (use_tz off)
    signed_in: bool  # the reader may have buttons under a visible comment
    may_moderate: bool  # and under a hidden one


def page_facts(context) -> PageFacts:
    use_tz = settings.USE_TZ if context.use_tz is None else context.use_tz
    user = context.get("user")
    return PageFacts(
        translation.get_language(),
        timezone.get_current_timezone() if use_tz else None,
        signed_in=bool(user is not None and user.is_authenticated),
        may_moderate=bool(context.get("may_moderate_comments")),
    )


def shown_comment(comment, facts: PageFacts) -> ShownComment:
    """`comment`: a thread's row (consultations.thread_rows.ThreadComment)."""
    who: str | None
    if comment.author_id is None:
        who = None
    elif comment.show_name and comment.author_name:
        who = comment.author_name
    else:
        who = ""
    # What the date filter receives: local time unless the template turned it off
    # (timezone.template_localtime, with the zone read once per page).
    when = comment.created_at
    if (
        facts.zone is not None
        and isinstance(when, datetime.datetime)
        and not timezone.is_naive(when)
        and getattr(when, "convert_to_local_time", True)
    ):
        when = when.astimezone(facts.zone)
    return ShownComment(
        language=facts.language,
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
        body=hashlib.blake2b(comment.body_html.encode(), digest_size=16).digest(),
    )


# A page of a thread shows about 23 comments; rendering each again (its date in the reader's
# language, its marks, the template) was most of the page's CPU. Kept per process, no network
# and no pickling: a hit is a dictionary lookup. Measured on the bench's thread (20,000
# comments, every page rendered once in one process): 460 bytes of HTML and about 600 of key
# per comment, 21 MB for the whole thread in one language; the budget holds it with room to
# spare, so a process serving readers spread over all its pages stops rendering them once it
# has seen each (at 16 MB, counted on the HTML alone, up to 37 MB were really held). The
# longest comments (5,000 characters) take up to 20 KB each.
COMMENT_FRAGMENTS_BYTES = 24 * 1024 * 1024
COMMENT_FRAGMENTS = KeptFragments(COMMENT_FRAGMENTS_BYTES)
_ARTICLE_END = "\n  \n</article>\n"


def _article_start(shown: ShownComment, body_html: str) -> str:
    """What comment_article writes before the reader's own buttons: the article, its meta
    line and the text (or why there is none). Reads nothing but `shown` (whose language is
    the active one) and the body `shown` holds the digest of, so each key has one answer.
    Written with str operations and html.escape (what format_html and conditional_escape
    apply to a str): a thread page rendered by a process for the first time writes each of
    its comments, and format_html took half of that."""
    lead = " lead-answer" if shown.lead_answer else ""
    start = (
        f'<article id="comment-{shown.pk}" class="comment{lead}">\n'
        f'  <p class="comment-meta">\n    {_meta(shown)}\n  </p>\n  '
    )
    if shown.deleted:
        deleted = escape(gettext("This comment was deleted."))
        return f'{start}\n    <p class="muted">{deleted}</p>\n  \n</article>\n'
    if shown.hidden:
        # As {% blocktranslate %} writes it: the reason escaped, the translation as it is.
        reason = gettext("Hidden by a moderator: %(reason)s") % {
            "reason": escape(shown.hidden_reason)
        }
        return f'{start}\n    <p class="muted">{reason}</p>\n    '
    # body_html went through Markdown and the nh3 sanitiser in the service
    # (consultations.text.render_user_text); only that makes it safe to output.
    return f'{start}\n    \n    <div class="comment-body">{body_html}</div>\n    '


def _meta(shown: ShownComment) -> str:
    """The line above a comment: who (the name they chose to show, else "a participant"),
    when, and its marks (each part as format_html wrote it, joined by " · ")."""
    parts = []
    if not shown.deleted:
        who: str
        if shown.who:
            who = f"<bdi>{escape(shown.who)}</bdi>"  # as the bdi filter writes it
        elif shown.who is None:
            who = escape(gettext("a former participant"))
        else:
            who = escape(gettext("a participant"))
        parts.append(f"<strong>{who}</strong>")
    parts.append(time_element(shown.when))
    if shown.edited and not shown.deleted:
        parts.append(f'<span class="badge">{escape(gettext("edited"))}</span>')
    if shown.lead_answer:
        badge = escape(gettext("Answer from the commitment lead"))
        parts.append(f'<span class="badge">{badge}</span>')
    elif shown.on_progress:
        parts.append(f'<span class="badge">{escape(gettext("On progress"))}</span>')
    return " · ".join(parts)


@register.simple_tag(takes_context=True)
def comment_article(context, comment, facts: PageFacts | None = None) -> SafeString:
    """One comment of a thread (consultations/includes/_comment_thread.html): the part every
    reader sees, kept by _article_start, and the buttons of this reader (edit, delete,
    report, restore), rendered for each request from _comment_actions.html."""
    facts = facts or page_facts(context)
    shown = shown_comment(comment, facts)
    start = COMMENT_FRAGMENTS.get(shown)
    if start is None:
        start = _article_start(shown, comment.body_html)
        COMMENT_FRAGMENTS.put(shown, start)
    if shown.deleted:
        return mark_safe(start)  # noqa: S308 -- built from escaped parts above
    # Buttons: restore under a hidden comment (moderators), else edit, delete or report.
    has_actions = facts.may_moderate if shown.hidden else facts.signed_in
    actions = ""
    if has_actions:
        template = context.template.engine.get_template(
            "consultations/includes/_comment_actions.html"
        )
        with context.push(comment=comment):
            actions = f"\n      {template.render(context).strip()}\n    "
    return mark_safe(f"{start}{actions}{_ARTICLE_END}")  # noqa: S308 -- escaped parts


_COMMENT_FORM = "consultations/includes/_comment_form.html"


@register.simple_tag(takes_context=True)
def thread_items(context, page) -> SafeString:
    """The items of a thread's page (consultations/includes/_comment_thread.html): each
    top-level comment with its replies and, for a reader who may reply, the reply form, as the
    template's loop wrote them, whitespace included. Written here, not looped over in the
    template: the loop's dozen nodes per comment (with, if, translate, the comparisons) cost
    more than the comments themselves, whose HTML is mostly kept (comment_article)."""
    failed_parent = context.get("failed_parent")
    refusal = context.get("comment_refusal")
    reply = escape(gettext("Reply"))
    replies_label = ""
    facts = page_facts(context)
    parts = []
    for comment in page:
        parts.append(
            f"\n        <li>\n          {comment_article(context, comment, facts)}\n          "
        )
        replies = comment.thread_replies
        if replies:
            replies_label = replies_label or escape(gettext("Replies"))
            written = "".join([f"<li>{comment_article(context, r, facts)}</li>" for r in replies])
            parts.append(
                f'\n            \n              <ol class="comment-replies" '
                f'aria-label="{replies_label}">\n                {written}'
                "\n              </ol>\n            \n          "
            )
        else:
            parts.append("\n            \n          ")
        if failed_parent == comment.pk:
            form = _reply_form(context, context.get("failed_form"), comment)
            parts.append(
                f'\n          \n            <details class="reply" open><summary>{reply}'
                f"</summary>{form}</details>\n          "
            )
        elif not refusal:
            form = _reply_form(context, None, comment)
            parts.append(
                f'\n          \n            <details class="reply"><summary>{reply}'
                f"</summary>{form}</details>\n          "
            )
        else:
            parts.append("\n          ")
        parts.append("\n        </li>\n      ")
    return mark_safe("".join(parts))  # noqa: S308 -- escaped parts and rendered templates


def _reply_form(context, form, parent) -> str:
    """{% include "…/_comment_form.html" with form=form parent=parent %}, in the loop."""
    template = context.template.engine.get_template(_COMMENT_FORM)
    with context.push(comment=parent, form=form, parent=parent):
        return template.render(context)


@register.filter(expects_localtime=True)
def time_element(value, format_name="DATETIME_FORMAT"):
    """{{ comment.created_at|time_element }}: what
    <time datetime="{{ value|date:'c' }}">{{ value|date:"DATETIME_FORMAT" }}</time> writes,
    with the value resolved and made local once instead of twice (a page of a thread shows
    dozens of them)."""
    if not isinstance(value, datetime.datetime):
        try:
            return format_html(
                '<time datetime="{}">{}</time>',
                value.isoformat(),
                formats.date_format(value, format_name),
            )
        except AttributeError:  # no date (as the date filter, nothing is written)
            return ""
    text = escape(_date_text(value, format_name))
    return mark_safe(f'<time datetime="{escape(value.isoformat())}">{text}</time>')  # noqa: S308


def _zone_name(value: datetime.datetime, months: tuple[str, ...]) -> str:
    """DateFormat.T for an aware datetime: nothing for a time a clock change makes ambiguous
    or skips, else the zone's abbreviation."""
    zone = value.tzinfo
    if zone is None:
        return ""
    if zone.utcoffset(value.replace(fold=not value.fold)) != zone.utcoffset(value):
        return ""
    return str(zone.tzname(value))


# The letters our formats use (ogp_portal/formats/), each written as DateFormat writes it,
# without building a DateFormat per date (whose constructor alone works out whether the time
# is ambiguous) nor a translation lookup per month name: a thread page writes a date for
# every comment a process has not written before.
_FAST_LETTERS: dict[str, Callable[[datetime.datetime, tuple[str, ...]], str]] = {
    "d": lambda v, months: f"{v.day:02d}",
    "j": lambda v, months: str(v.day),
    "m": lambda v, months: f"{v.month:02d}",
    "n": lambda v, months: str(v.month),
    "F": lambda v, months: months[v.month],
    "Y": lambda v, months: f"{v.year:04d}",
    "y": lambda v, months: f"{v.year % 100:02d}",
    "H": lambda v, months: f"{v.hour:02d}",
    "G": lambda v, months: str(v.hour),
    "i": lambda v, months: f"{v.minute:02d}",
    "s": lambda v, months: f"{v.second:02d}",
    "T": _zone_name,
}
# A piece of a format: literal text (str), a letter written here (a function), or a letter
# left to DateFormat (a one-item tuple).
_Piece = str | Callable[[datetime.datetime, tuple[str, ...]], str] | tuple[str]
# A localized format ("j F Y, H:i T") split once into its letters and its literal text, as
# django.utils.dateformat.Formatter.format splits it on each call.
_FORMAT_PIECES: dict[str, tuple[_Piece, ...]] = {}
# The month names (MONTHS, translated) of each language, index 1 to 12.
_MONTH_NAMES: dict[str, tuple[str, ...]] = {}


def _forget_month_names(**kwargs) -> None:
    _MONTH_NAMES.clear()


# A new translation catalogue (development) or an overridden setting (tests) is read again.
setting_changed.connect(_forget_month_names, dispatch_uid="comment_months_setting_changed")
file_changed.connect(_forget_month_names, dispatch_uid="comment_months_file_changed")


def _month_names(language: str | None) -> tuple[str, ...]:
    key = language or ""
    names = _MONTH_NAMES.get(key)
    if names is None:
        names = ("", *(str(dates.MONTHS[month]) for month in range(1, 13)))
        _MONTH_NAMES[key] = names
    return names


def _format_pieces(fmt: str) -> tuple[_Piece, ...]:
    pieces = _FORMAT_PIECES.get(fmt)
    if pieces is None:
        split = dateformat.re_formatchars.split(fmt)
        pieces = tuple(
            (_FAST_LETTERS.get(piece) or (piece,))
            if i % 2
            else dateformat.re_escaped.sub(r"\1", piece)
            for i, piece in enumerate(split)
            if piece
        )
        _FORMAT_PIECES[fmt] = pieces
    return pieces


def _date_text(value: datetime.datetime, format_name: str) -> str:
    """formats.date_format(value, format_name) for a datetime."""
    fmt = str(formats.get_format(format_name))
    if value.tzinfo is None or value.utcoffset() is None:  # naive: in the default zone
        return dateformat.format(value, fmt)
    pieces = _format_pieces(fmt)
    months = _month_names(translation.get_language())
    slow: dateformat.DateFormat | None = None
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
        elif isinstance(piece, tuple):
            slow = slow or dateformat.DateFormat(value)
            out.append(str(getattr(slow, piece[0])()))
        else:
            out.append(piece(value, months))
    return "".join(out)


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
