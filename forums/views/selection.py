"""Civil-society selection rounds: opening one, nominating, voting and the results."""

from typing import cast

from django.contrib import messages
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums import services
from forums.choices import RoundPhase
from forums.forms import BallotForm, NominationForm, PublishResultsForm, RoundForm
from forums.models import SelectionRound
from ogp_portal.core.form_views import refusal_status, require, run_service
from ogp_portal.core.time_zones import in_member_time_zone
from ogp_portal.users.models import User
from ogp_portal.users.types import AuthenticatedHttpRequest

from .base import activate_time_zone, forum_for


@in_member_time_zone
def round_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    forum = forum_for(slug)
    require(request, "forums.open_selection_round", forum)
    form = RoundForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        selection_round, error = run_service(
            form, lambda: services.round_open(forum, actor=request.user, **form.cleaned_data)
        )
        if selection_round is not None:  # the service acted; on a refusal there is no result
            messages.success(request, _("The selection round is open."))
            return redirect(selection_round)
    status = refusal_status(error) if request.method == "POST" else 200
    return render(request, "forums/round_form.html", {"form": form, "forum": forum}, status=status)


def _round_for(pk: int) -> SelectionRound:
    selection_round = get_object_or_404(
        SelectionRound.objects.select_related("forum__member"), pk=pk
    )
    activate_time_zone(selection_round.forum)
    return selection_round


def _round_context(request, selection_round: SelectionRound, **forms) -> dict:
    forum = selection_round.forum
    user = request.user
    phase = selection_round.phase()
    context = {
        "round": selection_round,
        "forum": forum,
        "member": forum.member,
        "phase": phase,
        "phase_label": RoundPhase(phase).label,
        "nominations": list(selection_round.nominations.select_related("organisation")),
        "ballot_count": None,
        "can_nominate": user.has_perm("forums.nominate", forum),
        "can_vote": user.has_perm("forums.vote", forum),
        "my_ballots": [],
    }
    if context["can_vote"]:
        context["my_ballots"] = list(
            selection_round.ballots.filter(organisation__memberships__user=user).select_related(
                "organisation"
            )
        )
    if phase == RoundPhase.NOMINATING and context["can_nominate"]:
        context["nomination_form"] = forms.get("nomination_form") or NominationForm(
            user=user, member=forum.member
        )
    if phase == RoundPhase.VOTING and context["can_vote"]:
        posted = forms.get("ballot_form")
        ballot_form = posted or BallotForm(user=user, selection_round=selection_round)
        if posted is None:
            # Offer only the organisations that have not voted yet: once yours has, the page
            # says so instead of showing the form again.
            voted = [ballot.organisation_id for ballot in context["my_ballots"]]
            field = cast(ModelChoiceField, ballot_form.fields["organisation"])
            field.queryset = cast(QuerySet, field.queryset).exclude(pk__in=voted)
        choices = cast(
            QuerySet, cast(ModelChoiceField, ballot_form.fields["organisation"]).queryset
        )
        if posted is not None or choices.exists():
            context["ballot_form"] = ballot_form
    if selection_round.voting_has_closed():
        # Only the number of ballots, never who voted for whom; and only after closing.
        context["ballot_count"] = selection_round.ballots.count()
    return context


@in_member_time_zone
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    selection_round = _round_for(pk)
    return render(request, "forums/round_detail.html", _round_context(request, selection_round))


@require_POST
@in_member_time_zone
def round_nominate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    selection_round = _round_for(pk)
    forum = selection_round.forum
    require(request, "forums.nominate", forum)
    if not selection_round.nominations_are_open():
        messages.error(request, _("Nominations are not open for this round."))
        return redirect(selection_round)
    form = NominationForm(request.POST, user=request.user, member=forum.member)
    error = None
    if form.is_valid():
        nomination, error = run_service(
            form,
            lambda: services.nomination_submit(
                selection_round, actor=request.user, **form.cleaned_data
            ),
        )
        if nomination is not None:
            messages.success(
                request,
                _("%(name)s is nominated.") % {"name": nomination.candidate_name},
            )
            return redirect(selection_round)
    context = _round_context(request, selection_round, nomination_form=form)
    return render(request, "forums/round_detail.html", context, status=refusal_status(error))


@require_POST
@in_member_time_zone
def round_vote(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    selection_round = _round_for(pk)
    forum = selection_round.forum
    require(request, "forums.vote", forum)
    if not selection_round.voting_is_open():
        if selection_round.voting_has_closed():
            messages.error(request, _("Voting has closed for this round; ballots are final."))
        else:
            messages.error(request, _("Voting is not open for this round."))
        return redirect(selection_round)
    form = BallotForm(request.POST, user=request.user, selection_round=selection_round)
    if form.is_valid():
        _result, error = run_service(
            form,
            lambda: services.ballot_cast(
                selection_round,
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                nominations=form.cleaned_data["candidates"],
            ),
        )
        if error is not None:
            # A second ballot of the same organisation (a double submit, or a colleague who
            # already voted) is not a form problem and nothing was typed: say so and show
            # the round, with the organisation's ballot on it.
            messages.error(request, str(error))
            return redirect(selection_round)
        messages.success(request, _("Your organisation's ballot is cast. It is final."))
        return redirect(selection_round)
    context = _round_context(request, selection_round, ballot_form=form)
    return render(request, "forums/round_detail.html", context, status=400)


@in_member_time_zone
def round_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The counts: nobody sees them before voting closes. After closing the secretariat sees
    them to publish; everyone sees them once published."""
    selection_round = _round_for(pk)
    forum = selection_round.forum
    can_publish = request.user.has_perm("forums.publish_results", forum)
    if not selection_round.voting_has_closed():
        messages.info(request, _("The counts are shown once voting has closed."))
        return redirect(selection_round)
    published = selection_round.phase() == RoundPhase.PUBLISHED
    if not published and not can_publish:
        messages.info(request, _("The results are not published yet."))
        return redirect(selection_round)
    tally = services.round_tally(selection_round)
    form = None
    error = None
    if not published:
        default = services.default_elected(selection_round, tally)
        form = PublishResultsForm(
            request.POST or None,
            selection_round=selection_round,
            initial={"elected": [n.pk for n in default]},
        )
        if request.method == "POST" and form.is_valid():
            _result, error = run_service(
                form,
                lambda: services.round_publish_results(
                    selection_round,
                    # Only people who may publish get here (can_publish), so they signed in.
                    actor=cast(User, request.user),
                    elected=form.cleaned_data["elected"],
                ),
            )
            if error is None:
                messages.success(request, _("The results are published."))
                return redirect("forums:round-results", pk=selection_round.pk)
    elif request.method == "POST":
        messages.info(request, _("The results of this round are already published."))
        return redirect("forums:round-results", pk=selection_round.pk)
    context = {
        "round": selection_round,
        "forum": forum,
        "member": forum.member,
        "tally": tally,
        "published": published,
        "form": form,
        "ballot_count": selection_round.ballots.count(),
    }
    status = refusal_status(error) if request.method == "POST" else 200
    return render(request, "forums/round_results.html", context, status=status)
