"""``python -m neurokg``: the same as the ``neurokg`` command."""

from .cli import run

run()
