"""Run the engine's command line: python -m matching_engine solve|candidates|bench."""

import sys

from .cli import main

sys.exit(main())
