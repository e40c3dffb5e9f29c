"""The Sphinx extension: a ``.. pyrace::`` directive, live pyrace blocks in HTML output.

In ``conf.py``::

    extensions = ["pyrace_writers.sphinx_ext"]
    pyrace_url = "https://pyrace.example.org/"   # where the pyrace site (dist/) is served

and in a page, the options of an MkDocs fence as directive options, the same body::

    .. pyrace::
       :mode: compare
       :cpython: 1

       # setup
       L = list(range(10_000)); S = set(L)
       # variant: list
       -1 in L
       # variant: set
       -1 in S

A mistake stops the build (docutils would only warn about an unknown option
and go on), naming the file and line. HTML pages with a block get the blog
script's tag once.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.errors import SphinxError

from . import __version__
from .block import OPTION_NAMES, BlockError, parse_block, parse_options
from .markup import render
from .share import normalise_site_url


class PyraceBlockError(SphinxError):
    category = "pyrace block error"


class _AnyOption(dict):
    """Accepts every option name, so that an unknown one reaches the block's own check and
    fails the build instead of becoming a docutils warning."""

    def __missing__(self, name):
        return lambda value: value or ""


def _site_url(config) -> str:
    if not config.pyrace_url:
        raise PyraceBlockError(
            'set pyrace_url in conf.py to the pyrace site the blocks run on, e.g. pyrace_url = "https://you.github.io/pyrace/"'
        )
    try:
        return normalise_site_url(config.pyrace_url)
    except ValueError as err:
        raise PyraceBlockError(f"pyrace_url: {err}") from None


class PyraceDirective(Directive):
    has_content = True
    option_spec = _AnyOption({name: (lambda value: value or "") for name in OPTION_NAMES})

    def run(self):
        env = self.state.document.settings.env
        source, line = self.state_machine.get_source_and_line(self.lineno)
        try:
            options = parse_options(list(self.options.items()), source, line)
            if self.content:
                body_source, offset = self.content.items[0]
                body_line = offset + 1
            else:
                body_source, body_line = source, line + 1
            block = parse_block(options, "\n".join(self.content), body_source, body_line, line)
        except BlockError as err:
            raise PyraceBlockError(str(err)) from None
        html = render(block, _site_url(env.config))
        return [nodes.raw("", html, format="html", classes=["pyrace"])]


def _add_script(app, pagename, templatename, context, doctree):
    if doctree is None:
        return
    if doctree.next_node(lambda n: isinstance(n, nodes.raw) and "pyrace" in n["classes"]) is not None:
        # Script_files is this page's list; the tag is written once however many blocks.
        url = _site_url(app.config) + "embed.js"
        app.add_js_file(url, loading_method="defer")


def setup(app):
    app.add_config_value("pyrace_url", "", "html", types=[str])
    app.add_directive("pyrace", PyraceDirective)
    app.connect("html-page-context", _add_script)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
