"""Every limit a block is held to, copied from the app so a page never carries a block the app refuses.

The values are model/src/limits.rs's (share-link texts, variants, the time
budget) and src/components/embed/options.rs's (the embed's height); tests/test_limits.py
reads those files and fails if a value here differs.
"""

MAX_VARIANTS = 6
MAX_TEXT_CHARS = 50_000
MAX_LABEL_CHARS = 500
MAX_TOTAL_CHARS = 120_000
BUDGET = (0.1, 120.0)
"""Seconds per variant (limits::BUDGET's min and max)."""
EMBED_HEIGHT = (120, 4000)
"""Pixels (src/components/embed/options.rs's MIN_HEIGHT and MAX_HEIGHT)."""
