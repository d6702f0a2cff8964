"""Local development (`manage.py` and `make run`): DEBUG on unless DJANGO_DEBUG says otherwise.

Production runs config.settings.production (the WSGI default), where DEBUG is refused.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from .base import *  # noqa: E402, F403
