"""A pyrace block: its options and body, parsed and checked, and the state it stands for.

A block is what a writer puts in a page, the same in MkDocs and Sphinx::

    mode=compare cpython=1          (the fence's info string / the directive's options)
    # setup
    L = list(range(10_000)); S = set(L)
    # variant: list
    -1 in L
    # variant: set
    -1 in S

Body markers, each alone on its line:

- ``# setup``: the shared setup, run before every variant;
- ``# setup: NAME``: variant NAME's own setup;
- ``# variant: NAME``: a variant, its code up to the next marker.

A body with no marker at all is one program, the variant ``main`` (mode
``run`` unless ``mode`` says otherwise). Each part is dedented and trimmed the
way the blog script (www/embed-script.js) reads a ``<pre>``, so the state
built here is the one the script builds from the markup, and both write the
same share link (model/src/share.rs, format 1). The options map to the state
(``mode``, ``sweep``, ``budget`` → ``options.budget``, ``cpython=1`` →
``engines: ["cpython"]``) or to the embed (``title``, ``theme``, ``height``,
``readonly``, ``panes``, and ``cpython`` again).

Everything a reader's page would refuse is refused here instead, with the
file and line, so a mistake fails the site build: an unknown or repeated
option, a bad value, code before the first marker, no variant, two variants
of one name, a setup for no variant, a Python syntax error, and the share
format's limits (model/src/limits.rs).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from . import limits

MODES = ("compare", "sweep", "run", "program")
PANES = ("code", "output", "results")
THEMES = ("light", "dark", "auto")
OPTION_NAMES = ("mode", "sweep", "budget", "cpython", "title", "theme", "height", "readonly", "panes")
"""Every option a block takes, in the order the markup writes them."""

_SETUP = re.compile(r"^#[ \t]*setup[ \t]*(?::[ \t]*(?P<owner>.*?))?[ \t]*$")
_VARIANT = re.compile(r"^#[ \t]*variant[ \t]*:[ \t]*(?P<name>.*?)[ \t]*$")

# JavaScript's String.prototype.trim() removes exactly these.
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


class BlockError(Exception):
    """A mistake in a block: what is wrong, and where (file and line)."""

    def __init__(self, message: str, source: str, line: int) -> None:
        super().__init__(f"{source}:{line}: pyrace block: {message}")
        self.message = message
        self.source = source
        self.line = line


@dataclass
class Variant:
    name: str
    code: str
    setup: str | None = None
    """Its own setup; None when the block has no ``# setup: NAME`` for it."""


@dataclass
class Block:
    """A checked block."""

    options: dict[str, str]
    """The options given, each value normalised (e.g. ``budget=2.50`` → ``2.5``)."""
    setup: str
    variants: list[Variant] = field(default_factory=list)

    @property
    def mode(self) -> str:
        return self.options["mode"]

    def state(self) -> dict:
        """The share-link state (format 1), key for key as the blog script writes it."""
        state: dict = {"pyrace": 1, "mode": self.mode, "setup": self.setup, "variants": []}
        for v in self.variants:
            entry = {"name": v.name, "code": v.code}
            if v.setup is not None:
                entry["setup"] = v.setup
            state["variants"].append(entry)
        if "sweep" in self.options:
            state["sweep"] = self.options["sweep"]
        if "budget" in self.options:
            budget = float(self.options["budget"])
            state["options"] = {"budget": int(budget) if budget.is_integer() else budget}
        if self.options.get("cpython") == "1":
            state["engines"] = ["cpython"]
        return state


def js_trim(text: str) -> str:
    return text.strip(_JS_SPACE)


def js_dedent(text: str) -> str:
    """Strips the common indentation of the non-blank lines, as the blog script does."""
    lines = text.split("\n")
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines if js_trim(line)]
    cut = min(indents) if indents else 0
    return "\n".join(line[cut:] for line in lines)


def parse_options(items: list[tuple[str, str]], source: str, line: int) -> dict[str, str]:
    """Checks (name, value) pairs and returns them normalised; raises BlockError."""

    def fail(message: str) -> BlockError:
        return BlockError(message, source, line)

    options: dict[str, str] = {}
    for name, value in items:
        if name not in OPTION_NAMES:
            raise fail(f"unknown option “{name}” (options: {', '.join(OPTION_NAMES)})")
        if name in options:
            raise fail(f"option “{name}” is given twice")
        value = value.strip()
        if name == "mode" and value not in MODES:
            raise fail(f"mode “{value}” is not one of {', '.join(MODES)}")
        if name in ("cpython", "readonly") and value not in ("0", "1"):
            raise fail(f"{name} is 1 or 0, not “{value}”")
        if name == "theme" and value not in THEMES:
            raise fail(f"theme “{value}” is not one of {', '.join(THEMES)}")
        if name == "budget":
            try:
                budget = float(value)
            except ValueError:
                raise fail(f"budget “{value}” is not a number of seconds") from None
            low, high = limits.BUDGET
            if not low <= budget <= high:
                raise fail(f"budget {value} s is outside {low:g}–{high:g} s")
            value = repr(int(budget) if budget.is_integer() else budget)
        if name == "height":
            low, high = limits.EMBED_HEIGHT
            if not value.isdigit() or not low <= int(value) <= high:
                raise fail(f"height “{value}” is not a number of pixels in {low}–{high}")
            value = str(int(value))
        if name == "panes":
            panes = [p.strip() for p in value.split(",")]
            if not panes or any(p not in PANES for p in panes):
                raise fail(f"panes “{value}” is not a comma-separated list of {', '.join(PANES)}")
            value = ",".join(panes)
        if name in ("sweep", "title"):
            if not value:
                raise fail(f"{name} is empty")
            if len(value) > limits.MAX_LABEL_CHARS:
                raise fail(f"{name} has {len(value)} characters, at most {limits.MAX_LABEL_CHARS}")
        options[name] = value
    return options


def split_info(info: str, source: str, line: int) -> list[tuple[str, str]]:
    """``mode=compare title="a b"`` → [(name, value)]; values may be quoted."""
    try:
        words = shlex.split(info, comments=False, posix=True)
    except ValueError as err:
        raise BlockError(f"cannot read the options “{info.strip()}”: {err}", source, line) from None
    items = []
    for word in words:
        name, eq, value = word.partition("=")
        if not eq:
            raise BlockError(f"option “{word}” has no value (write {word}=VALUE)", source, line)
        items.append((name, value))
    return items


def _check_python(code: str, what: str, source: str, first_line: int) -> None:
    """Fails on a syntax error, naming the line of the page it is on."""
    try:
        compile(code, source, "exec", dont_inherit=True)
    except SyntaxError as err:
        at = first_line + (err.lineno or 1) - 1
        raise BlockError(f"{what}: Python syntax error: {err.msg}", source, at) from None
    except ValueError as err:  # e.g. a NUL character
        raise BlockError(f"{what}: {err}", source, first_line) from None


def parse_block(
    options: dict[str, str], body: str, source: str, body_line: int, options_line: int
) -> Block:
    """Parses and checks a block's body; ``body_line`` is the line its first line is on,
    ``options_line`` the line of its options.

    ``options`` come from :func:`parse_options`. Raises :class:`BlockError`.
    """
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # Sections: (kind, name, first line index, lines); kind is setup/own/variant.
    sections: list[tuple[str, str, int, list[str]]] = []
    for i, text in enumerate(lines):
        setup, variant = _SETUP.match(text), _VARIANT.match(text)
        if setup:
            owner = setup.group("owner")
            if owner is not None and not owner:
                raise BlockError("“# setup:” names no variant", source, body_line + i)
            sections.append(("own" if owner else "setup", owner or "", i, []))
        elif variant:
            if not variant.group("name"):
                raise BlockError("“# variant:” has no name", source, body_line + i)
            sections.append(("variant", variant.group("name"), i, []))
        elif sections:
            sections[-1][3].append(text)
        elif js_trim(text):
            if any(_SETUP.match(t) or _VARIANT.match(t) for t in lines):
                raise BlockError(
                    "code before the first marker (start with “# setup” or “# variant: NAME”)",
                    source,
                    body_line + i,
                )
            # No marker at all: the whole body is one program.
            sections.append(("variant", "main", i - 1, lines[i:]))
            if "mode" not in options:
                options = {**options, "mode": "run"}
            break
    options = {"mode": "compare", **options}

    def code_of(section: tuple[str, str, int, list[str]]) -> tuple[str, int]:
        """The section's code as the blog script reads it, and the line it starts on."""
        _, _, at, body_lines = section
        first = next((k for k, t in enumerate(body_lines) if js_trim(t)), 0)
        return js_trim(js_dedent("\n".join(body_lines))), body_line + at + 1 + first

    setup = ""
    seen_setup = False
    own: dict[str, tuple[str, int]] = {}
    variants: list[Variant] = []
    for section in sections:
        kind, name, at, _ = section
        code, first = code_of(section)
        line = body_line + at
        if kind == "setup":
            if seen_setup:
                raise BlockError("a second “# setup”", source, line)
            seen_setup = True
            _check_python(code, "the setup", source, first)
            setup = code
        elif kind == "own":
            if name in own:
                raise BlockError(f"a second “# setup: {name}”", source, line)
            _check_python(code, f"the setup of {name}", source, first)
            own[name] = (code, line)
        else:
            if any(v.name == name for v in variants):
                raise BlockError(f"two variants are named “{name}”", source, line)
            if not code:
                raise BlockError(f"variant “{name}” has no code", source, line)
            _check_python(code, f"variant “{name}”", source, first)
            variants.append(Variant(name, code))
        if len(name) > limits.MAX_LABEL_CHARS:
            raise BlockError(f"the name has {len(name)} characters, at most {limits.MAX_LABEL_CHARS}", source, line)
        if len(code) > limits.MAX_TEXT_CHARS:
            raise BlockError(f"{len(code)} characters of code, at most {limits.MAX_TEXT_CHARS}", source, line)

    if not variants:
        raise BlockError("no variant (add “# variant: NAME” and its code)", source, body_line)
    if len(variants) > limits.MAX_VARIANTS:
        raise BlockError(f"{len(variants)} variants, at most {limits.MAX_VARIANTS}", source, body_line)
    for name, (code, line) in own.items():
        variant = next((v for v in variants if v.name == name), None)
        if variant is None:
            raise BlockError(f"“# setup: {name}” is for no variant of that name", source, line)
        variant.setup = code
    total = len(setup) + sum(len(v.name) + len(v.code) + len(v.setup or "") for v in variants)
    if total > limits.MAX_TOTAL_CHARS:
        raise BlockError(f"{total} characters in all, at most {limits.MAX_TOTAL_CHARS}", source, body_line)
    if (options["mode"] == "sweep") != ("sweep" in options):
        raise BlockError(
            "mode=sweep needs sweep=\"n=10,100,1000\", and sweep= needs mode=sweep", source, options_line
        )
    return Block(options, setup, variants)


def render_block(state: dict) -> tuple[str, str]:
    """A state as a block (info string, body): the inverse of parsing, for round trips."""
    info = [f"mode={state['mode']}"]
    if state.get("sweep"):
        info.append(f"sweep={shlex.quote(state['sweep'])}")
    if "options" in state:
        info.append(f"budget={state['options']['budget']}")
    if state.get("engines") == ["cpython"]:
        info.append("cpython=1")
    body = []
    if state.get("setup"):
        body += ["# setup", state["setup"]]
    for v in state["variants"]:
        if v.get("setup") is not None:
            body += [f"# setup: {v['name']}", v["setup"]]
    for v in state["variants"]:
        body += [f"# variant: {v['name']}", v["code"]]
    return " ".join(info), "\n".join(body)
