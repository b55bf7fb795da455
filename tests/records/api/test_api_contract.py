"""Contract tests: schemathesis sends requests generated from the API's own OpenAPI schema
(valid and invalid filters, ids, cursors, page sizes) to a live server, with the public record
of conftest.api_record in its database; every answer must match the schema (status, headers,
body) and none may be a server error.

The schema is the one /api/v1/schema/ serves (a test below checks they are the same), built
at collection so that each operation is a test of its own. Kept fast for the normal suite: a
few examples per operation; OGP_API_CONTRACT_EXAMPLES=200 searches harder."""

import json
import os

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = int(os.environ.get("OGP_API_CONTRACT_EXAMPLES", "5"))

SCHEMA = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))
schema = schemathesis.openapi.from_dict(SCHEMA)


def test_the_served_schema_is_the_one_tested(live_server):
    import requests

    served = requests.get(f"{live_server.url}/api/v1/schema/?format=json", timeout=30).json()
    assert served == SCHEMA


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_published_contract(case, live_server, api_record):
    case.call_and_validate(base_url=live_server.url)
