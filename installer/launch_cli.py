"""Entry script of the frozen command line ("antq.exe"): antq_desktop.cli.main."""

import sys

from antq_desktop.cli import main

sys.exit(main())
