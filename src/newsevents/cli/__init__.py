"""The ``newsevents`` command line: a thin layer over the library.

Each command opens the store, calls one library function and prints the result.
Library errors become a one-line message and exit code 2, never a traceback. The commands
live by what they work on (``store``, ``coding``, ``learning``); importing this package
registers them all on ``app``.
"""

# commands are listed in the order they are registered: the store's first
# isort: off
from newsevents.cli import store
from newsevents.cli import coding, learning

# isort: on
from newsevents.cli.base import EXIT_BUG, app, run
from newsevents.storage.store import Store

__all__ = ["EXIT_BUG", "Store", "app", "coding", "learning", "run", "store"]
