"""Sphinx configuration of the example site with pyrace blocks."""

project = "pyrace blocks in Sphinx"
extensions = ["pyrace_writers.sphinx_ext"]
pyrace_url = "http://127.0.0.1:8000/"
html_theme = "alabaster"
