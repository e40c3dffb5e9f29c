"""Parsing and checking blocks: options, markers, the state, and each mistake with its line."""

import pytest

from pyrace_writers.block import BlockError, parse_block, parse_options, render_block, split_info
from pyrace_writers.share import fragment_of, share_link

MEMBERSHIP = """# setup
L = list(range(10_000)); S = set(L)
# variant: list
-1 in L
# variant: set
-1 in S"""


def block(info: str, body: str, source: str = "page.md", line: int = 10):
    options = parse_options(split_info(info, source, line), source, line)
    return parse_block(options, body, source, line + 1, line)


def error(info: str, body: str) -> BlockError:
    with pytest.raises(BlockError) as caught:
        block(info, body)
    return caught.value


def test_membership_state():
    b = block("mode=compare cpython=1 budget=2.50", MEMBERSHIP)
    assert b.state() == {
        "pyrace": 1,
        "mode": "compare",
        "setup": "L = list(range(10_000)); S = set(L)",
        "variants": [{"name": "list", "code": "-1 in L"}, {"name": "set", "code": "-1 in S"}],
        "options": {"budget": 2.5},
        "engines": ["cpython"],
    }
    assert b.options["budget"] == "2.5"


def test_defaults_and_program():
    assert block("", MEMBERSHIP).mode == "compare"
    program = block("", "\n\nfor i in range(3):\n    print(i)\n")
    assert program.mode == "run"
    assert [(v.name, v.code) for v in program.variants] == [("main", "for i in range(3):\n    print(i)")]
    assert block("mode=program", "print(1)").mode == "program"


def test_own_setup_indentation_and_quotes():
    body = "# setup: b\n    x = 2\n# variant: a\n    1 +  1\n\n# variant: b\n  if x:\n      pass\n"
    b = block('title="a vs b" theme=dark height=300 panes="code, results" readonly=1', body)
    assert [(v.name, v.code, v.setup) for v in b.variants] == [("a", "1 +  1", None), ("b", "if x:\n    pass", "x = 2")]
    assert b.options == {"mode": "compare", "title": "a vs b", "theme": "dark", "height": "300", "panes": "code,results", "readonly": "1"}
    assert b.state()["variants"][1] == {"name": "b", "code": "if x:\n    pass", "setup": "x = 2"}


@pytest.mark.parametrize(
    "info, body, line, words",
    [
        ("colour=red", MEMBERSHIP, 10, "unknown option “colour”"),
        ("mode=race", MEMBERSHIP, 10, "mode “race”"),
        ("mode", MEMBERSHIP, 10, "has no value"),
        ("mode=run mode=run", MEMBERSHIP, 10, "given twice"),
        ("budget=500", MEMBERSHIP, 10, "outside 0.1–120 s"),
        ("budget=fast", MEMBERSHIP, 10, "not a number"),
        ("height=50", MEMBERSHIP, 10, "120–4000"),
        ("cpython=yes", MEMBERSHIP, 10, "1 or 0"),
        ("panes=code,chart", MEMBERSHIP, 10, "panes"),
        ('title="unclosed', MEMBERSHIP, 10, "cannot read"),
        ("mode=sweep", MEMBERSHIP, 10, "mode=sweep needs sweep="),
        ("", "# setup\nx = 1\n", 11, "no variant"),
        ("", "x = 1\n# variant: a\n1", 11, "code before the first marker"),
        ("", "# variant: a\n1\n# variant: a\n2", 13, "two variants are named “a”"),
        ("", "# variant: a\n", 11, "has no code"),
        ("", "# variant:\n1", 11, "has no name"),
        ("", "# setup: z\nx=1\n# variant: a\n1", 11, "for no variant"),
        ("", "# setup\nx=1\n# setup\ny=2\n# variant: a\n1", 13, "a second “# setup”"),
        # The syntax error's own line in the page: line 11 is "# variant: list", 14 the bad line.
        ("", "# variant: list\n\nfor x in L:\n    x +\n# variant: set\n-1 in S", 14, "variant “list”: Python syntax error"),
        ("", "# setup\nL = [\n# variant: a\n1", 12, "the setup: Python syntax error"),
        ("", "\n".join(f"# variant: v{i}\n{i}" for i in range(7)), 11, "7 variants, at most 6"),
    ],
)
def test_mistakes_name_file_and_line(info, body, line, words):
    err = error(info, body)
    assert words in err.message
    assert (err.source, err.line) == ("page.md", line)
    assert str(err).startswith(f"page.md:{line}: pyrace block: ")


def test_limits():
    assert "at most 500" in error(f"title={'t' * 501}", MEMBERSHIP).message
    assert "at most 50000" in error("", "# variant: a\n" + "1\n" * 25_001).message


def test_round_trip_state_block_state():
    states = [
        block("mode=compare cpython=1 budget=2", MEMBERSHIP).state(),
        block('mode=sweep sweep="n=10,100,1000"', "# setup\nL = list(range(n))\n# variant: sum\nsum(L)").state(),
        block("", "# setup: b\nx = 2\n# variant: a\n1\n# variant: b\nx * 2").state(),
        block("mode=run", "print('hé 😀')").state(),
    ]
    for state in states:
        info, body = render_block(state)
        assert block(info, body).state() == state


def test_link_is_the_site_app_with_the_fragment():
    b = block("", MEMBERSHIP)
    link = share_link("https://example.org/pyrace/", b.state())
    assert link == "https://example.org/pyrace/app/#" + fragment_of(b.state())
    assert fragment_of(b.state()).startswith("v1.")
