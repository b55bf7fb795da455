class DomainError(Exception):
    """A rule of the OGP process refused an action; views show the message, never a 500."""
