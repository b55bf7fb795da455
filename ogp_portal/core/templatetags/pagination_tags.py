"""What templates/includes/pagination.html writes before `page=` in each of its links."""

from django import template
from django.template.defaultfilters import urlencode
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def query_without_page(context) -> SafeString:
    """The request's query parameters but `page`, each as the template's loop wrote them:
    {% for k, v in request.GET.items %}{% if k != 'page' %}
    {{ k|urlencode }}={{ v|urlencode }}&amp;{% endif %}{% endfor %} (without the line break).
    Written once for the page's four links instead of looped over in each: a dozen template
    nodes per link, on every list page. Names are URL-encoded too: a name such as "a b&c" or
    "été" must reach the next page as the same name, not split at its "&"."""
    request = context.get("request")
    if request is None:  # a page rendered without a request (the loop read nothing)
        return mark_safe("")  # noqa: S308 -- empty
    written = [
        f"{conditional_escape(urlencode(k))}={conditional_escape(urlencode(v))}&amp;"
        for k, v in request.GET.items()
        if k != "page"
    ]
    return mark_safe("".join(written))  # noqa: S308 -- each part escaped as the loop did
