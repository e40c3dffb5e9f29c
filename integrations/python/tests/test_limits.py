"""The block's limits are the app's: read from model/src/limits.rs and src/components/embed/options.rs."""

import re

from conftest import REPO
from pyrace_writers import limits


def rust_const(path: str, name: str) -> str:
    text = (REPO / path).read_text()
    return re.search(rf"pub const {name}: [^=]+= ([^;]+);", text, re.S).group(1).replace("_", "").strip()


def test_limits_match_the_app():
    for name in ("MAX_VARIANTS", "MAX_TEXT_CHARS", "MAX_LABEL_CHARS", "MAX_TOTAL_CHARS"):
        assert int(rust_const("model/src/limits.rs", name)) == getattr(limits, name), name
    budget = rust_const("model/src/limits.rs", "BUDGET")
    assert float(re.search(r"min: ([\d.]+)", budget).group(1)) == limits.BUDGET[0]
    assert float(re.search(r"max: ([\d.]+)", budget).group(1)) == limits.BUDGET[1]
    assert int(rust_const("src/components/embed/options.rs", "MIN_HEIGHT")) == limits.EMBED_HEIGHT[0]
    assert int(rust_const("src/components/embed/options.rs", "MAX_HEIGHT")) == limits.EMBED_HEIGHT[1]
