"""How NexRL's HTTP clients take a base URL they append paths to: what `requests` accepts,
what `urlparse` reads as a scheme, and what NexRL's `ensure_url_scheme` (1.3 on) adds.

Not a rule: its name starts with `_`.
"""

from __future__ import annotations

from urllib.parse import urlparse

HTTP = ("http", "https")


def as_normalised(url: str, adds_scheme: bool) -> str:
    """The URL NexRL sends requests to: stripped and given `http://` when urlparse finds no
    scheme in it (`ensure_url_scheme`), or as written."""
    url = url.strip() if adds_scheme else url
    if adds_scheme and url and not urlparse(url).scheme:
        return f"http://{url}"
    return url


def scheme_problem(url: str, adds_scheme: bool) -> str | None:
    """Why `requests` refuses the base URL, or None. `requests` takes the text before a ':'
    for a scheme (`localhost:8000` has the scheme `localhost`) and sends http(s) only."""
    scheme = urlparse(as_normalised(url, adds_scheme)).scheme
    if scheme in HTTP:
        return None
    if not scheme:
        return "has no scheme (http:// or https://)"
    if "://" not in url:
        added = ", so NexRL adds no http://" if adds_scheme else ""
        return f'has no scheme: "{scheme}" before its ":" reads as one{added}'
    return f'has the scheme "{scheme}": requests sends http and https only'


def path_of(url: str, adds_scheme: bool) -> str:
    """The path the base URL carries (NexRL strips a trailing '/' and appends its own)."""
    parsed = urlparse(as_normalised(url, adds_scheme))
    return parsed.path.rstrip("/") + (f"?{parsed.query}" if parsed.query else "")
