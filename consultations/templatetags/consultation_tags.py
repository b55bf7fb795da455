"""Template tags other apps' pages use to show consultation content (the commitment page shows
its comments through this tag, so commitments/ never imports consultations/)."""

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from consultations.views.threads import comment_thread_context, consultation_for_commitment

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


# The proposal list says both counts on every row. As filters they cost a third of the
# {% blocktranslate count %} they replace (same messages, so the same translations).
@register.filter
def supporters(n: int) -> str:
    """The number of supporters, in words of the reader's language ("3 supporters")."""
    return ngettext("%(n)s supporter", "%(n)s supporters", n) % {"n": n}


@register.filter
def comments(n: int) -> str:
    """The number of comments, in words of the reader's language ("3 comments")."""
    return ngettext("%(n)s comment", "%(n)s comments", n) % {"n": n}
