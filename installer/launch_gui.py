"""Entry script of the frozen window program ("ANTQ Desktop.exe"): antq_desktop.__main__.main."""

import sys

from antq_desktop.__main__ import main

sys.exit(main())
