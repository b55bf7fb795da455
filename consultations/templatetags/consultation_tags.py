"""Template tags other apps' pages use to show consultation content (the commitment page shows
its comments through this tag, so commitments/ never imports consultations/)."""

from django import template

from consultations.views.threads import comment_thread_context, consultation_for_commitment

register = template.Library()


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
