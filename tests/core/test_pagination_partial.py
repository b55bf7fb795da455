"""The one pagination partial (templates/includes/pagination.html)."""

import html as html_text
import re

import pytest
from django.core.paginator import Paginator
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from ogp_portal.guides.models import Resource


def _links(**include):
    page = Paginator(range(100), 10).page(5)
    request = RequestFactory().get("/x/", {"q": "water", "page": "5"})
    return render_to_string(
        "includes/pagination.html", {"page_obj": page, "request": request, **include}
    )


def test_lists_link_the_previous_and_next_page_keeping_the_query():
    html = _links()

    assert 'href="?q=water&amp;page=4" rel="prev"' in html
    assert 'href="?q=water&amp;page=6" rel="next"' in html
    assert "Page 5 of 10" in html
    assert "First page" not in html
    assert "Last page" not in html


def test_bounded_lists_also_link_both_ends_with_a_fragment():
    html = _links(ends=True, fragment="#comments")

    assert 'href="?q=water&amp;page=1#comments">First page' in html
    assert 'href="?q=water&amp;page=last#comments">Last page' in html
    assert 'page=4#comments" rel="prev"' in html


def test_the_kept_query_is_escaped_and_keeps_each_parameters_last_value():
    page = Paginator(range(100), 10).page(5)
    query = "q=%3Cb%3E%22O%27Neil%22+%26+co&status=open&status=closed&page=5&x%26y=%C3%A9t%C3%A9"
    request = RequestFactory().get(f"/x/?{query}")
    html = render_to_string("includes/pagination.html", {"page_obj": page, "request": request})

    kept = "q=%3Cb%3E%22O%27Neil%22%20%26%20co&amp;status=closed&amp;x%26y=%C3%A9t%C3%A9&amp;"
    assert f'href="?{kept}page=4" rel="prev"' in html
    assert f'href="?{kept}page=6" rel="next"' in html
    assert "<b>" not in html


def test_no_request_no_query():
    page = Paginator(range(100), 10).page(5)
    html = render_to_string("includes/pagination.html", {"page_obj": page})

    assert 'href="?page=6" rel="next"' in html


@pytest.mark.django_db
def test_a_list_page_carries_parameter_names_that_need_encoding_to_the_next_page():
    # Given a list of two pages, asked for with parameters whose names hold a space, an "&"
    # and non-ASCII letters
    Resource.objects.bulk_create(
        Resource(title=f"Guide {n}", body="Read.", position=n) for n in range(51)
    )
    query = "a%20b%26c=1&%C3%A9t%C3%A9=%C3%A9t%C3%A9&page=1"
    page = Client().get(f"{reverse('guides:resource-list')}?{query}")
    assert page.status_code == 200

    # Then its link to the next page carries the same parameters, names URL-encoded
    link = re.search(r'href="\?([^"]*)" rel="next"', page.content.decode()).group(1)
    assert link == "a%20b%26c=1&amp;%C3%A9t%C3%A9=%C3%A9t%C3%A9&amp;page=2"
    followed = QueryDict(html_text.unescape(link))
    assert followed.dict() == {"a b&c": "1", "été": "été", "page": "2"}
