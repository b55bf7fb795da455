"""The portal's own rules, read by base.py: how long personal data is kept (shown on
/privacy/) and the thresholds of the OGP rules, per rule set."""

import environ

# The same environment base.py reads (its .env file is already loaded into it).
_env = environ.Env()

# --- Privacy: how long personal data is kept (shown on /privacy/) ---
# Days; 0 means "for as long as the record exists". Sessions follow SESSION_COOKIE_AGE.
# Public contributions and the audit trail are evidence of the OGP process: they stay, and a
# deleted account's share of them is shown as "a former participant".
PRIVACY_RETENTION_NOTIFICATIONS_DAYS = _env.int("PRIVACY_RETENTION_NOTIFICATIONS_DAYS", default=365)
PRIVACY_RETENTION_UNVERIFIED_ACCOUNT_DAYS = _env.int(
    "PRIVACY_RETENTION_UNVERIFIED_ACCOUNT_DAYS", default=30
)
PRIVACY_RETENTION_SERVER_LOG_DAYS = _env.int("PRIVACY_RETENTION_SERVER_LOG_DAYS", default=90)
PRIVACY_RETENTION_AUDIT_DAYS = _env.int("PRIVACY_RETENTION_AUDIT_DAYS", default=0)
PRIVACY_CONTACT_EMAIL = _env.str("PRIVACY_CONTACT_EMAIL", default="")

# --- OGP process rules ---
# Every threshold of the OGP rules, keyed by the rule set a plan follows (ogp-domain.md §3).
# Read them through ogp_portal.core.ogp_rules.rule(), never as literals in code.
_OGP_RULES_2021 = {
    # MR 3.1: timeline and ways to take part published this many days before co-creation.
    "notice_days": 14,
    # MR 1.1: the forum meets at least this often (months between meetings with minutes).
    "forum_max_months_between_meetings": 6,
    # MR 5.1: meetings with civil society on implementation per calendar year.
    "implementation_meetings_per_year": 2,
    # MR 2.2: the repository is updated at least twice a year.
    "repository_max_months_without_update": 6,
    # No-gap rule: warn when the current plan ends within this many months with no successor.
    "successor_warning_months": 6,
    # Contrary to process: no new plan this many months after the last one ended.
    "procedural_review_months": 12,
    # Allowed national plan lengths in years (local plans may differ).
    "national_plan_years": [2, 4],
}
OGP_RULES = {
    "2021": _OGP_RULES_2021,
    # 2017 standards: the forum was expected to meet every quarter [U]; only 2-year plans.
    "2017": _OGP_RULES_2021 | {"forum_max_months_between_meetings": 3, "national_plan_years": [2]},
}

# --- Reconsideration (issue #15) ---
# The author of an input may ask once, within this many days of its response's publication,
# for the decision to be reconsidered; staff answer publicly.
OGP_RECONSIDERATION_DAYS = _env.int("OGP_RECONSIDERATION_DAYS", default=30)
