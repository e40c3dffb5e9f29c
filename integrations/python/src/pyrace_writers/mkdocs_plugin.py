"""The MkDocs plugin ``pyrace``: ```` ```pyrace ```` fences become live pyrace blocks.

One entry in ``mkdocs.yml``::

    plugins:
      - pyrace:
          pyrace_url: https://pyrace.example.org/   # where the pyrace site (dist/) is served

The plugin registers the custom fence ``pyrace`` with ``pymdownx.superfences``
(adding that extension if the site does not list it yet), so fences work
wherever superfences finds them (lists, admonitions, tabs). Superfences reads
only quoted option values (``mode="compare"``), and does not say on which
line a fence is, so before a page is converted the plugin finds its pyrace
fences itself, parses and checks each one with the line numbers of the page,
fails the build on a mistake (``docs/page.md:12: pyrace block: …``), and
rewrites each fence's first line to ```` ```pyrace block="N" ````: the fence
then renders the block already parsed. Pages with a block get the blog
script's tag once, at the end of their content.
"""

from __future__ import annotations

import os
import re

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from .block import Block, BlockError, parse_block, parse_options, split_info
from .markup import render, script_tag
from .share import normalise_site_url

_FENCE = re.compile(r"^(?P<indent>[ \t>]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*)$")
_PYRACE_INFO = re.compile(r"^\.?pyrace(?:[ \t]+(?P<options>.*))?$")


class PyraceConfig(Config):
    pyrace_url = config_options.Type(str)
    """The pyrace site the blocks run on (its dist/), e.g. ``https://you.github.io/pyrace/``."""


def find_blocks(markdown: str, source: str) -> tuple[str, list[Block]]:
    """Parses every pyrace fence of a page: (the page with each fence's first line
    rewritten to ```` ```pyrace block="N" ````, the blocks). Raises BlockError."""
    lines = markdown.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        fence, indent = opening.group("fence"), opening.group("indent")
        closing = re.compile(rf"^[ \t>]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        end = next((k for k in range(i + 1, len(lines)) if closing.match(lines[k])), None)
        info = _PYRACE_INFO.match(opening.group("info").strip())
        if info:
            line = i + 1
            if end is None:
                raise BlockError(f"the fence opened here is never closed (with {fence})", source, line)
            options = parse_options(split_info(info.group("options") or "", source, line), source, line)
            body = "\n".join(text[len(indent) :] if text.startswith(indent) else text.lstrip(" \t>") for text in lines[i + 1 : end])
            blocks.append(parse_block(options, body, source, line + 1, line))
            lines[i] = f'{indent}{fence}pyrace block="{len(blocks) - 1}"'
        # Another fence's content (an example shown as code, say) is skipped whole.
        i = (end if end is not None else len(lines)) + 1
    return "\n".join(lines), blocks


class PyracePlugin(BasePlugin[PyraceConfig]):
    """Checks and renders the pyrace fences of every page."""

    def __init__(self) -> None:
        self.site_url = ""
        self.page_source = ""
        self.blocks: list[Block] = []

    def on_config(self, config):
        try:
            self.site_url = normalise_site_url(self.config.pyrace_url)
        except ValueError as err:
            raise PluginError(f"pyrace: pyrace_url: {err}") from None
        if "pymdownx.superfences" not in config.markdown_extensions:
            config.markdown_extensions.append("pymdownx.superfences")
        fences = config.mdx_configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
        fences.append({"name": "pyrace", "class": "pyrace", "validator": self._validate, "format": self._format})
        return config

    def on_page_markdown(self, markdown, page, config, files):
        self.page_source = page.file.src_uri
        try:
            markdown, self.blocks = find_blocks(markdown, os.path.relpath(page.file.abs_src_path))
        except BlockError as err:
            raise PluginError(str(err)) from None
        return markdown

    def on_page_content(self, html, page, config, files):
        if "<pyrace-compare" in html:
            html += "\n" + script_tag(self.site_url)
        return html

    @staticmethod
    def _validate(language, inputs, options, attrs, md):
        options.update(inputs)
        return not attrs

    def _format(self, src, language, class_name, options, md, **kwargs):
        index = options.get("block", "")
        if not index.isdigit() or int(index) >= len(self.blocks):
            # A fence the page scan did not see (e.g. from an include).
            from pymdownx.superfences import SuperFencesException

            raise SuperFencesException(
                f"{self.page_source}: a pyrace fence the pyrace plugin could not find in the page's Markdown"
            )
        return render(self.blocks[int(index)], self.site_url)
