"""``python -m pupil_privacy.worker.notice lint FILE``."""

from __future__ import annotations

import sys

from .lint import main

sys.exit(main())
