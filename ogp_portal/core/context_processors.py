def notifications(request) -> dict:
    """The signed-in user's unread notification count for the header (to be built)."""
    return {}
