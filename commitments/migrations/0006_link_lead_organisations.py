"""Link each commitment to the organisation its free-text lead institution names.

A name matches an organisation of the plan's member, compared without case and surrounding
spaces. Where nothing matches, the commitment keeps only its text (shown as before) and no
commitment lead may report on it until a civil servant chooses the lead organisation.
"""

from django.db import migrations


def link(apps, schema_editor):
    Commitment = apps.get_model("commitments", "Commitment")
    Organisation = apps.get_model("organisations", "Organisation")
    by_member: dict[int, dict[str, int]] = {}
    for org_id, member_id, name in Organisation.objects.values_list("pk", "member_id", "name"):
        by_member.setdefault(member_id, {}).setdefault(name.strip().casefold(), org_id)
    rows = Commitment.objects.filter(lead_organisation__isnull=True).values_list(
        "pk", "plan__member_id", "lead_institution"
    )
    for pk, member_id, text in rows.iterator():
        org_id = by_member.get(member_id, {}).get((text or "").strip().casefold())
        if org_id:
            Commitment.objects.filter(pk=pk).update(lead_organisation_id=org_id)


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0005_commitment_lead_organisation"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
