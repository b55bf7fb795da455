# The multi-stakeholder forum, meetings, minutes and the public repository (issue: forums)
# will live here; the app is installed now so migrations start clean.
