"""Real MkDocs and Sphinx builds of the example sites, and of a page with a mistake."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pyrace_writers.mkdocs_plugin import find_blocks

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def build(tool: str, site: Path, out: Path) -> subprocess.CompletedProcess:
    if tool == "mkdocs":
        args = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)]
    else:
        args = [sys.executable, "-m", "sphinx", "-q", "-b", "html", ".", str(out)]
    return subprocess.run(args, cwd=site, capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": ""})


def test_scan_skips_other_fences_and_rewrites_headers():
    page = "# t\n\n````markdown\n```pyrace\n1 +\n```\n````\n\n  ```pyrace mode=run\n  print(1)\n  ```\n"
    markdown, blocks = find_blocks(page, "t.md")
    assert len(blocks) == 1 and blocks[0].variants[0].code == "print(1)"
    assert '  ```pyrace block="0"' in markdown.split("\n")


@pytest.mark.parametrize("tool, page", [("mkdocs", "docs/index.md"), ("sphinx", "index.rst")])
def test_example_site_builds_with_one_script_per_block_page(tool, page, tmp_path):
    pytest.importorskip(tool)
    out = tmp_path / "site"
    result = build(tool, EXAMPLES / tool, out)
    assert result.returncode == 0, result.stderr
    index = (out / "index.html").read_text()
    plain = (out / ("plain/index.html" if tool == "mkdocs" else "plain.html")).read_text()
    assert index.count("embed.js") == 1 and "embed.js" not in plain
    assert index.count("<pyrace-compare") == (2 if tool == "mkdocs" else 1)
    assert "Open in pyrace" in index


@pytest.mark.parametrize("tool, page, mistake, line", [
    ("mkdocs", "docs/index.md", ("-1 in S\n```", "-1 in S +\n```"), 12),
    ("sphinx", "index.rst", ("   -1 in S\n", "   -1 in S +\n"), 17),
    ("mkdocs", "docs/index.md", ("budget=1", "budgte=1"), 6),
    ("sphinx", "index.rst", (":budget: 1", ":budgte: 1"), 7),
])
def test_a_mistake_fails_the_build_naming_file_and_line(tool, page, mistake, line, tmp_path):
    pytest.importorskip(tool)
    site = tmp_path / tool
    shutil.copytree(EXAMPLES / tool, site)
    text = (site / page).read_text()
    assert mistake[0] in text
    (site / page).write_text(text.replace(mistake[0], mistake[1], 1))
    result = build(tool, site, tmp_path / "out")
    assert result.returncode != 0
    assert f"{page}:{line}: pyrace block: " in result.stderr + result.stdout, result.stderr + result.stdout
