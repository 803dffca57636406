"""``python -m socialkit``."""

from .cli import main

raise SystemExit(main())
