"""``python -m newsevents`` runs the command line."""

from .cli import run

run()
