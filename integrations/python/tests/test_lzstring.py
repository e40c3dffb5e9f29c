"""The Python lz-string port against the npm package, on the same inputs."""

import random

from pyrace_writers.lzstring import compress_to_encoded_uri_component
from pyrace_writers.share import state_json


def test_agrees_with_javascript(js_compress):
    rng = random.Random(27)
    texts = ["", "a", "aaaaaaaaaaaaaaaaaaaaaaaa", "hello world hello", "é😀x", "\u0000\u0001\n\t\"\\", "L = list(range(10_000))\n-1 in L"]
    alphabet = "ab cd\n=()[]é€😀\U0001f40d\u00a0\u2028"
    for n in range(200):
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 40 + 10 * n))))
    # Long, repetitive text makes the dictionary's codes grow past 16 bits.
    texts.append("".join(rng.choice("abcdefgh") for _ in range(70_000)))
    assert [compress_to_encoded_uri_component(t) for t in texts] == js_compress(texts)


def test_state_json_is_javascripts(js_compress):
    # JSON.stringify escapes control characters in lower-case hex and leaves the rest as is.
    state = {"pyrace": 1, "mode": "run", "setup": "", "variants": [{"name": "é 😀", "code": "print('\u0007\u001f\\n\\t\"')\u2028"}]}
    text = state_json(state)
    assert "\\u0007" in text and "\\u001f" in text and "😀" in text
    import subprocess, json

    out = subprocess.run(
        ["node", "-e", "process.stdout.write(JSON.stringify(JSON.parse(require('fs').readFileSync(0, 'utf8'))))"],
        input=json.dumps(state), capture_output=True, text=True, check=True,
    )
    assert out.stdout == text
