#!/usr/bin/env python
"""Django's command-line utility."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    from config.startup import exit_on_bad_configuration, exit_on_unreachable_database

    with exit_on_bad_configuration(), exit_on_unreachable_database():
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
