"""Share links for a block's state: ``SITE/app/#v1.`` + lz-string of the JSON (model/src/share.rs)."""

import json

from .lzstring import compress_to_encoded_uri_component


def state_json(state: dict) -> str:
    """The state's JSON exactly as JavaScript's ``JSON.stringify`` writes it."""
    return json.dumps(state, ensure_ascii=False, separators=(",", ":"))


def fragment_of(state: dict) -> str:
    """The link's fragment, without ``#``: what the blog script's ``fragmentOf`` returns."""
    return "v1." + compress_to_encoded_uri_component(state_json(state))


def share_link(site_url: str, state: dict) -> str:
    """The playground at ``site_url`` opened on ``state``."""
    return f"{site_url}app/#{fragment_of(state)}"


def normalise_site_url(url: str) -> str:
    """The site's base URL with one trailing slash; raises ValueError for anything else."""
    url = url.strip()
    if not url.startswith(("https://", "http://", "/")):
        raise ValueError(f"“{url}” is not an http(s) URL or a path starting with /")
    return url if url.endswith("/") else url + "/"
