from __future__ import annotations

import sys

from sharaka.cli import main

sys.exit(main())
