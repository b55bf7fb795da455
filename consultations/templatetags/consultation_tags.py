"""Template tags other apps' pages use to show consultation content (the commitment page shows
its comments through this tag, so commitments/ never imports consultations/)."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from consultations.views.threads import comment_thread_context, consultation_for_commitment
from ogp_portal.core.templatetags.name_tags import bdi, verified_badge

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_meta(context, comment) -> SafeString:
    """The line above a comment in consultations/includes/_comment.html: who (the name they
    chose to show, else "a participant"), when, and its marks. Python rather than template
    language because a page of a thread shows dozens of comments, and this line's dozen
    lookups and conditions were most of what rendering one cost."""
    parts = []
    if not comment.deleted_at:
        author = comment.author if comment.author_id else None
        who: str
        if comment.show_name and author is not None and author.name:
            who = format_html("<bdi>{}</bdi>", author.name)  # as the bdi filter writes it
        elif author is None:
            who = gettext("a former participant")
        else:
            who = gettext("a participant")
        parts.append(format_html("<strong>{}</strong>", who))
    # What the date filter receives: local time unless the template turned it off.
    # django-stubs lacks template_localtime (django.utils.timezone has it).
    when = timezone.template_localtime(  # type: ignore[attr-defined]
        comment.created_at, context.use_tz
    )
    parts.append(time_element(when))
    if comment.edited_at and not comment.deleted_at:
        parts.append(format_html('<span class="badge">{}</span>', gettext("edited")))
    if comment.is_lead_answer:
        badge = gettext("Answer from the commitment lead")
        parts.append(format_html('<span class="badge">{}</span>', badge))
    elif not comment.consultation_id and not comment.parent_id:
        parts.append(format_html('<span class="badge">{}</span>', gettext("On progress")))
    return format_html_join(" · ", "{}", ((part,) for part in parts))


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
