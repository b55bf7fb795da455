"""The page cache's path resolution is kept per path and URL configuration
(ogp_portal/core/url_match.py): the same answers as Django's resolve, the patterns walked once."""

from unittest import mock

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import Resolver404, path
from django.urls import resolve as django_resolve
from django.urls.resolvers import URLResolver

from ogp_portal.core import url_match


def other_home(request):
    return HttpResponse("other")


urlpatterns = [path("", other_home, name="other-home")]


def _walks(target: str) -> int:
    with mock.patch.object(
        URLResolver, "resolve", autospec=True, side_effect=URLResolver.resolve
    ) as walk:
        url_match.resolve(target)
    return walk.call_count


def test_a_path_resolves_as_django_resolves_it_and_is_walked_once():
    for target in ("/", "/plans/", "/health/", "/consultations/"):
        ours, django = url_match.resolve(target), django_resolve(target)
        assert (ours.func, ours.kwargs, ours.url_name) == (
            django.func,
            django.kwargs,
            django.url_name,
        )
    assert _walks("/plans/") == 0  # kept from above
    with pytest.raises(Resolver404):
        url_match.resolve("/no-such-page/")


def test_a_new_url_configuration_is_resolved_afresh():
    assert url_match.resolve("/").func is not other_home
    with override_settings(ROOT_URLCONF=__name__):
        assert url_match.resolve("/").func is other_home
    assert url_match.resolve("/").func is not other_home


def test_long_paths_are_not_kept():
    long_path = "/members/" + "a" * url_match.LONGEST + "/"
    assert url_match.resolve(long_path).kwargs == {"slug": "a" * url_match.LONGEST}
    assert _walks(long_path) > 0  # walked again, not kept
    assert _walks("/members/a/") > 0
    assert _walks("/members/a/") == 0
