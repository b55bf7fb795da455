# Consultation windows, proposals, comments and reasoned responses (issue: consultations)
# will live here; the app is installed now so migrations start clean.
