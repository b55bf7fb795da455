"""The part of a comment every reader sees is kept per process, under a key made of all it
shows (consultation_tags.comment_article): a change shows at once, languages never mix, user
text stays escaped, memory stays bounded, and each reader still gets their own buttons."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from consultations.choices import ModerationState
from consultations.models import Comment
from ogp_portal.core.kept_fragments import KeptFragments


@pytest.fixture(autouse=True)
def _pages_rendered_each_time(settings):
    settings.PAGE_CACHE_SECONDS = 0  # the comment's fragment is under test, not the page's


def make_comment(proposal, author, **fields):
    return Comment.objects.create(
        consultation=proposal.consultation,
        proposal=proposal,
        author=author,
        show_name=True,
        body="First words",
        body_html="<p>First words</p>",
        **fields,
    )


def page(client, proposal, language="en"):
    return client.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_an_edited_hidden_or_deleted_comment_shows_its_new_state_at_once(client, citizen, proposal):
    comment = make_comment(proposal, citizen)
    assert "First words" in page(client, proposal)  # now kept

    Comment.objects.filter(pk=comment.pk).update(
        body_html="<p>Second words</p>", edited_at=timezone.now()
    )
    html = page(client, proposal)
    assert "Second words" in html
    assert "First words" not in html
    assert '<span class="badge">edited</span>' in html

    Comment.objects.filter(pk=comment.pk).update(
        moderation_state=ModerationState.HIDDEN, hidden_reason="Off topic"
    )
    html = page(client, proposal)
    assert "Hidden by a moderator: Off topic" in html
    assert "Second words" not in html

    Comment.objects.filter(pk=comment.pk).update(deleted_at=timezone.now())
    html = page(client, proposal)
    assert "This comment was deleted." in html
    assert "Off topic" not in html


def test_a_renamed_author_shows_under_the_new_name(client, citizen, proposal):
    citizen.name = "Old Name"
    citizen.save()
    make_comment(proposal, citizen)
    assert "<bdi>Old Name</bdi>" in page(client, proposal)

    citizen.name = "New Name"
    citizen.save()
    html = page(client, proposal)
    assert "<bdi>New Name</bdi>" in html
    assert "Old Name" not in html


def test_two_languages_do_not_mix(client, citizen, proposal):
    make_comment(proposal, citizen, edited_at=timezone.now())
    Comment.objects.update(show_name=False)
    french = page(client, proposal, "fr")
    english = page(client, proposal, "en")
    assert "a participant" in english
    assert "a participant" not in french
    with translation.override("fr"):
        assert translation.gettext("a participant") in french
        assert translation.gettext("a participant") not in english


def test_a_hidden_reason_and_an_author_name_are_escaped(client, citizen, proposal):
    citizen.name = "<b>Bold</b>"
    citizen.save()
    make_comment(
        proposal,
        citizen,
        moderation_state=ModerationState.HIDDEN,
        hidden_reason='<img src=x onerror="alert(1)">',
    )
    for _ in range(2):  # rendered, then kept
        html = page(client, proposal)
        assert "Hidden by a moderator: &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
        assert "<img src=x" not in html
    Comment.objects.update(moderation_state=ModerationState.PUBLISHED)
    html = page(client, proposal)
    assert "<bdi>&lt;b&gt;Bold&lt;/b&gt;</bdi>" in html
    assert "<b>Bold</b>" not in html


def test_long_comments_stay_within_the_memory_budget():
    """However long the comments, the kept fragments stay within their byte budget, the
    least recently read going first."""
    kept = KeptFragments(budget_bytes=100_000)
    for i in range(50):
        kept.put(("comment", i), "😀" * 5000)  # 20 KB each, as the longest comment
    assert kept.size <= 100_000
    assert kept.get(("comment", 49)) is not None
    assert kept.get(("comment", 0)) is None
    kept.put("too big", "x" * 200_000)
    assert kept.get("too big") is None


def test_each_reader_still_gets_their_own_buttons(
    client, client_for, citizen, cso_member, proposal
):
    comment = make_comment(proposal, citizen)
    edit = reverse("consultations:comment-edit", args=[comment.pk])
    assert "inline-decision" not in page(client, proposal)
    assert edit in page(client_for(citizen), proposal)
    others = page(client_for(cso_member), proposal)
    assert edit not in others
    assert f'id="flag-{comment.pk}"' in others


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("format_name", ["DATETIME_FORMAT", "DATE_FORMAT", r"\d\a\y j \o\f F"])
def test_dates_are_written_as_the_date_filter_writes_them(language, format_name):
    from django.template.defaultfilters import date as date_filter

    from consultations.templatetags.consultation_tags import time_element

    when = timezone.localtime(timezone.now())
    with translation.override(language):
        expected = (
            f'<time datetime="{date_filter(when, "c")}">{date_filter(when, format_name)}</time>'
        )
        assert time_element(when, format_name) == expected
    assert time_element(None) == ""


def _moments():
    """Times that a date writer gets wrong first: both sides of Paris's clock changes (the
    hour that happens twice and the hour that never happens), every month, single- and
    double-digit days and hours, midnight, a year before 1000, UTC, and naive times."""
    import datetime
    import zoneinfo

    paris = zoneinfo.ZoneInfo("Europe/Paris")
    yield datetime.datetime(2026, 10, 25, 2, 30, tzinfo=paris)  # fold 0 of the repeated hour
    yield datetime.datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=paris)
    yield datetime.datetime(2026, 3, 29, 2, 30, tzinfo=paris)  # a time that does not exist
    yield datetime.datetime(987, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    for month in range(1, 13):
        yield datetime.datetime(2026, month, month * 2, month * 2 - 1, month * 4, tzinfo=paris)
    yield datetime.datetime(2026, 12, 31, 0, 0, tzinfo=datetime.UTC)
    yield datetime.datetime(2026, 6, 7, 8, 9, 10)  # noqa: DTZ001 -- naive on purpose


def test_every_format_of_every_language_is_written_as_the_date_filter_writes_it(settings):
    """The comment dates are written without Django's DateFormat for the letters our formats
    use: each must come out as the date filter writes it, in every language (one after the
    other in one process, as readers arrive: month names are kept per language), for every
    named format and for letters left to DateFormat (weekday names, am/pm, ordinals)."""
    from django.template.defaultfilters import date as date_filter

    from consultations.templatetags.consultation_tags import time_element

    settings.TIME_ZONE = "America/Bogota"  # where naive times are shown
    formats = [
        "DATETIME_FORMAT",
        "SHORT_DATETIME_FORMAT",
        "DATE_FORMAT",
        "SHORT_DATE_FORMAT",
        r"d j m n F Y y H G i s T \T\o\d\a\y D l N a S U",
    ]
    for language in ["en", "fr", "es", "ar", "en", "fr"]:
        with translation.override(language):
            for when in _moments():
                for format_name in formats:
                    expected = (
                        f'<time datetime="{date_filter(when, "c")}">'
                        f"{date_filter(when, format_name)}</time>"
                    )
                    assert time_element(when, format_name) == expected, (when, format_name)


def test_a_thread_shows_its_times_in_the_readers_zone_unless_the_template_turns_it_off(
    rf, citizen, proposal
):
    """The zone is read once per page: the same kept comment shows in each active zone, and
    as stored inside {% localtime off %}."""
    import datetime

    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    from consultations.views.threads import comment_thread_context

    comment = make_comment(proposal, citizen)
    Comment.objects.filter(pk=comment.pk).update(
        created_at=datetime.datetime(2026, 12, 1, 14, 0, tzinfo=datetime.UTC)
    )
    request = rf.get(proposal.get_absolute_url())
    request.user = AnonymousUser()
    thread = comment_thread_context(request, consultation=proposal.consultation, proposal=proposal)
    values = {"user": request.user, "comment_refusal": "Closed", **thread}
    shown = Template("{% load consultation_tags %}{% thread_items comments_page %}")
    stored = Template(
        "{% load consultation_tags tz %}{% localtime off %}"
        "{% thread_items comments_page %}{% endlocaltime %}"
    )
    with translation.override("en"), timezone.override("Asia/Kathmandu"):
        assert (
            '<time datetime="2026-12-01T19:45:00+05:45">1 December 2026, 19:45 +0545</time>'
        ) in shown.render(Context(values))
        assert (
            '<time datetime="2026-12-01T14:00:00+00:00">1 December 2026, 14:00 UTC</time>'
        ) in stored.render(Context(values))
    with translation.override("en"), timezone.override("America/Lima"):
        assert (
            '<time datetime="2026-12-01T09:00:00-05:00">1 December 2026, 09:00 -05</time>'
        ) in shown.render(Context(values))


def test_only_moderators_get_the_restore_button_under_a_hidden_comment(
    client, client_for, citizen, cso_member, moderator, proposal
):
    comment = make_comment(
        proposal,
        citizen,
        moderation_state=ModerationState.HIDDEN,
        hidden_reason="Off topic",
    )
    restore = reverse("consultations:comment-restore", args=[comment.pk])
    assert "Hidden by a moderator: Off topic" in page(client, proposal)
    assert restore not in page(client, proposal)
    assert restore not in page(client_for(cso_member), proposal)
    assert restore in page(client_for(moderator), proposal)
    client.logout()
    assert restore not in page(client, proposal)  # the moderator's buttons are not kept
