import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from ogp_portal.organisations.choices import (
    MembershipStatus,
    MemberType,
    OrganisationKind,
    Role,
)
from ogp_portal.organisations.models import (
    Member,
    Organisation,
    OrganisationMembership,
    RoleGrant,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Every factory user has a verified address unless `verified=False` is passed."""
        self.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"Member {n}")
    slug = factory.Sequence(lambda n: f"member-{n}")
    member_type = MemberType.NATIONAL
    iso_code = "XV"
    languages = factory.LazyFunction(lambda: ["en"])
    time_zone = "Europe/Paris"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.CSO
    member = factory.SubFactory(MemberFactory)
    verified_at = factory.LazyFunction(timezone.now)


def grant(user, role, member=None):
    return RoleGrant.objects.create(user=user, role=role, member=member)


def join(user, organisation, *, is_admin=False, status=MembershipStatus.APPROVED):
    return OrganisationMembership.objects.create(
        user=user, organisation=organisation, is_admin=is_admin, status=status
    )


__all__ = ["PASSWORD", "Role", "grant", "join"]


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.ActionPlan"

    member = factory.SubFactory(MemberFactory)
    sequence_no = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"National Action Plan {n}")
    period_start = factory.LazyFunction(lambda: dt.date(2026, 1, 1))
    period_end = factory.LazyFunction(lambda: dt.date(2027, 12, 31))
    status = "drafting"
    primary_language = "en"
    # Every template section written, as a plan ready for adoption has them (issue #15 gate).
    vision = "A government that answers every input."
    efforts_to_date = "Two earlier plans."
    development_process = "A forum and two consultations."


class PolicyAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.PolicyArea"

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Policy area {n}")


_ogp_serial = iter(range(1, 10000))


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "commitments.Commitment"

    plan = factory.SubFactory(PlanFactory)
    ogp_id = factory.LazyFunction(lambda: f"XV{next(_ogp_serial):04d}")
    title = factory.Sequence(lambda n: f"Commitment {n}")
    summary = "Open the data people ask for most."
    brief_description = "Publish the data."
    problem = "Data is hard to find."
    causes = "No register."
    done_so_far = "A pilot."
    solution = "A register."
    expected_results = "Data found in a day."
    lead_institution = "Ministry of Justice"
    # Led by the member's organisation of that name when there is one (the commitment_lead
    # fixture's agency), as the data migration links existing commitments.
    lead_organisation = factory.LazyAttribute(
        lambda o: Organisation.objects.filter(member=o.plan.member, name=o.lead_institution).first()
    )
    start_date = factory.LazyAttribute(lambda o: o.plan.period_start)
    end_date = factory.LazyAttribute(lambda o: o.plan.period_end)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "commitments.Milestone"

    commitment = factory.SubFactory(CommitmentFactory)
    description = factory.Sequence(lambda n: f"Milestone {n}")
    start_date = factory.LazyAttribute(lambda o: o.commitment.start_date)
    due_date = factory.LazyAttribute(lambda o: o.commitment.end_date)
