"""`python -m coach.cli ...` runs the `coach` command."""

import sys

from coach.cli.main import main

sys.exit(main())
