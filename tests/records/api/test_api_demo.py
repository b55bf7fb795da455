"""`make demo` shows the API: every collection has records of the demo, and no e-mail
address of the demo's people appears in any of them."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from .test_api import COLLECTIONS

pytestmark = pytest.mark.django_db


def test_every_collection_shows_the_demo(client):
    call_command("load_demo", quiet_logins=True)
    emails = list(get_user_model().objects.values_list("email", flat=True))
    for collection in COLLECTIONS:
        response = client.get(f"/api/v1/{collection}/?page_size=200")
        assert response.status_code == 200
        assert response.json()["results"], collection
        body = response.content.decode()
        assert not [e for e in emails if e in body], collection
