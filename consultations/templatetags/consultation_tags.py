"""Template tags other apps' pages use to show consultation content (the commitment page shows
its comments through this tag, so commitments/ never imports consultations/)."""

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import ngettext

from consultations.views.threads import comment_thread_context, consultation_for_commitment

register = template.Library()


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
