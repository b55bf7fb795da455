"""Every write of the consultations app, split by sub-process (see the style guide)."""
