# Commitments in the OGP template, milestones and progress updates (issue: action plans and
# commitments) will live here; the app is installed now so migrations start clean.
