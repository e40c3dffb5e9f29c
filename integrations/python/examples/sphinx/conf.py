"""Sphinx configuration of the example site with pyrace blocks."""

import os

project = "pyrace blocks in Sphinx"
extensions = ["pyrace_writers.sphinx_ext"]
# The pyrace site the blocks run on: here the dev server (scripts/serve.sh), or PYRACE_URL if set.
pyrace_url = os.environ.get("PYRACE_URL", "http://127.0.0.1:8000/")
html_theme = "alabaster"
