"""Who may keep the resources page: the secretariat only. Everyone may read it."""

import rules

from ogp_portal.organisations.rules import is_secretariat

rules.add_perm("guides.add_resource", is_secretariat)
# The translation screens ask for the record's change permission (core/translation_views.py).
rules.add_perm("guides.change_resource", is_secretariat)
rules.add_perm("guides.view_resource_history", is_secretariat)
