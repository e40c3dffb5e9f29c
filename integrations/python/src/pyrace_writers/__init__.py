"""pyrace blocks for Python writers' tools.

- MkDocs: the plugin ``pyrace`` (:mod:`pyrace_writers.mkdocs_plugin`) makes
  ```` ```pyrace ```` fences live, through ``pymdownx.superfences``.
- Sphinx: the extension ``pyrace_writers.sphinx_ext`` adds ``.. pyrace::``.

Both parse a block with :mod:`pyrace_writers.block`, render it with
:mod:`pyrace_writers.markup`, and fail the build on a mistake, naming the
file and line.
"""

__version__ = "0.1.0"
