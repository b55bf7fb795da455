#!/usr/bin/env python
"""Django's command-line utility for the OGP portal."""

import os
import sys


def main() -> None:
    # The development settings are the default so a fresh clone runs with nothing configured.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ogp_portal.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
