"""Shared helpers of the pyrace-writers tests."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def js_compress():
    """lz-string's compressToEncodedURIComponent as JavaScript runs it (npm lz-string), on many inputs at once."""
    node = shutil.which("node")
    if node is None or not (REPO / "node_modules" / "lz-string").is_dir():
        pytest.skip("node and the repository's node_modules (npm ci) are needed to compare with JavaScript")

    def compress(texts: list[str]) -> list[str]:
        script = (
            "const L = require('lz-string');"
            "const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
            "process.stdout.write(JSON.stringify(texts.map((t) => L.compressToEncodedURIComponent(t))));"
        )
        out = subprocess.run([node, "-e", script], input=json.dumps(texts), capture_output=True, text=True, cwd=REPO, check=True)
        return json.loads(out.stdout)

    return compress
