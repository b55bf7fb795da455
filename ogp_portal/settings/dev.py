"""Local development and `make demo`: DEBUG on, console e-mail, embedded services."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402, F403
