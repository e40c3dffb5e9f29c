"""The HTML a block becomes: the markup the blog script (dist/embed.js) upgrades.

::

    <div class="pyrace-block"><pyrace-compare data-mode="compare" data-highlighted …>
      <div class="pyrace-name">setup</div>
      <div class="highlight"><pre data-setup><code>…highlighted…</code></pre></div>
      <div class="pyrace-name">list</div>
      <div class="highlight"><pre data-variant="list"><code>…</code></pre></div>
      …
      <div class="pyrace-open"><a href="SITE/app/#v1.…">Open in pyrace ↗</a></div>
    </pyrace-compare></div>

Without JavaScript the page shows this as it is: each part's name, its code
highlighted by Pygments with the site's own colours (both MkDocs and Sphinx
style Pygments' classes under ``.highlight``), and a share link. The script
reads the ``<pre>`` texts back (the same state, so the same link), and with
``data-highlighted`` shows these very ``<pre>`` elements in its box beside a
Run button; the engine loads on Run.
"""

from html import escape

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from .block import OPTION_NAMES, Block
from .share import share_link

# The text is kept exactly (no newline added or stripped), so the script reads the same code.
_LEXER = PythonLexer(stripnl=False, ensurenl=False)
_FORMATTER = HtmlFormatter(nowrap=True)


def _code(pre_attr: str, code: str) -> str:
    return f'<div class="highlight"><pre {pre_attr}><code>{highlight(code, _LEXER, _FORMATTER).rstrip(chr(10))}</code></pre></div>'


def _name(text: str) -> str:
    return f'<div class="pyrace-name"><strong>{escape(text)}</strong></div>'


def render(block: Block, site_url: str) -> str:
    """The block's markup; ``site_url`` is the pyrace site, ending in ``/``."""
    attrs = "".join(
        f' data-{name}="{escape(block.options[name])}"' for name in OPTION_NAMES if name in block.options
    )
    # The <div> makes Markdown see a block, not a paragraph to wrap in <p>.
    parts = [f'<div class="pyrace-block"><pyrace-compare{attrs} data-highlighted>']
    if block.setup:
        parts += [_name("setup"), _code("data-setup", block.setup)]
    for v in block.variants:
        if v.setup is not None:
            parts += [_name(f"{v.name}: setup"), _code(f'data-setup="{escape(v.name)}"', v.setup)]
        parts += [_name(v.name), _code(f'data-variant="{escape(v.name)}"', v.code)]
    link = escape(share_link(site_url, block.state()))
    parts.append(f'<div class="pyrace-open"><a href="{link}">Open in pyrace ↗</a></div>')
    parts.append("</pyrace-compare></div>")
    return "\n".join(parts)


def script_tag(site_url: str) -> str:
    """The blog script's tag, once per page that has a block."""
    return f'<script src="{escape(site_url)}embed.js" defer></script>'
