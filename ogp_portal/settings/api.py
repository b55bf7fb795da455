"""The public read API (records/api/, README "Public API"), read by base.py: Django REST
framework, its OpenAPI schema (drf-spectacular) and CORS on /api/ (django-cors-headers)."""

import environ

# The same environment base.py reads (its .env file is already loaded into it).
_env = environ.Env()

# Anonymous clients: this many requests per address (ogp_portal/core/client_ip.py) per
# second, minute, hour or day, counted in the cache; beyond it 429 with Retry-After.
API_ANON_RATE = _env.str("API_ANON_RATE", default="120/min")
REST_FRAMEWORK = {
    # The API is public and read-only: nobody signs in to it, so every client sees what an
    # anonymous visitor of the site sees, and no session cookie or CSRF token is involved.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_RATE},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OGP co-creation portal: public read API",
    "DESCRIPTION": (
        "The public record of the portal (plans, commitments, consultations, forums) as "
        "JSON. Read-only, anonymous; the same records an anonymous visitor of the site sees."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per status list in the schema (several records have a field named "status").
    "ENUM_NAME_OVERRIDES": {
        "MemberStatusEnum": "ogp_portal.organisations.choices.MemberStatus",
        "PlanStatusEnum": "plans.choices.PlanStatus",
        "CommitmentStatusEnum": "commitments.choices.CommitmentStatus",
        "MilestoneStatusEnum": "commitments.choices.MilestoneStatus",
        "ProposalStatusEnum": "consultations.choices.ProposalStatus",
        "MeetingStatusEnum": "forums.choices.MeetingStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "records.api.schema.document_common_responses",
    ],
}
# Any origin may read the API from a browser, without credentials; only GET, HEAD, OPTIONS.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]
