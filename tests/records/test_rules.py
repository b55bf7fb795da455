"""Who may add to a member's repository: the secretariat and the member's civil servants."""

import pytest


@pytest.mark.django_db
def test_repository_uploads(
    secretariat, civil_servant, other_member_civil_servant, msf_member, member
):
    assert secretariat.has_perm("records.add_document", member)
    assert civil_servant.has_perm("records.add_document", member)
    assert not other_member_civil_servant.has_perm("records.add_document", member)
    assert not msf_member.has_perm("records.add_document", member)
