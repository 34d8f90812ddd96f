"""The Feishu webhook URL must be one that `requests` can post to.

## What it does
With `logger.enable_feishu_logging: true`, reads `logger.feishu_url` as NexRL does: as
written before NexRL 1.3; from 1.3 through `ensure_url_scheme`, which adds `https://` when
`urlparse` finds no scheme. Reports a URL whose scheme is then not `http` or `https`: one
with no scheme at all before 1.3 (`open.feishu.cn/...`), and `host:port/...` at every version
(`urlparse` takes the host for the scheme, so NexRL keeps it as it is). An empty or missing
URL is `empty-url`'s.

## Why is this bad?
`requests` raises MissingSchema or InvalidSchema for each message; the Feishu reporter
catches it and prints that it could not connect. The run goes on, but no message ever
reaches the webhook.

## Example
```yaml
logger:
  enable_feishu_logging: true
  feishu_url: "hooks.example.com:8443/hook/abc"
```

## Use instead
```yaml
logger:
  enable_feishu_logging: true
  feishu_url: "https://hooks.example.com:8443/hook/abc"
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..config import Config
from ..finding import Fix, Report, Severity
from ..layout import LOGGER
from ..nexrl import URL_SCHEME_ADDED, at_least
from ._services import scheme_problem
from ._values import where

if TYPE_CHECKING:
    from ..fix.library import Files

SEVERITY = Severity.WARNING
SUMMARY = "The Feishu webhook URL must have an http(s) scheme, as NexRL reads it"
STAGE = "lint"
NEXRL = (
    "nexrl/utils/logger/feishu_logger.py@v1.0.0:25-26,70 (@v1.3.0:27-31,76-82); "
    "nexrl/utils/url_utils.py@v1.3.0 (ensure_url_scheme)"
)

FEISHU, URL = f"{LOGGER}.enable_feishu_logging", f"{LOGGER}.feishu_url"


def check(cfg: Config) -> Iterator[Report]:
    url = cfg.get(URL, None)
    if cfg.get(FEISHU, None) is not True or not isinstance(url, str) or not url.strip():
        return
    problem = scheme_problem(url, at_least(cfg.version, URL_SCHEME_ADDED))
    if problem is None:
        return
    yield cfg.report(
        f"feishu_url {cfg.show(URL)} {problem} (NexRL {cfg.version}): requests refuses it for "
        "every message and the Feishu reporter only prints that it could not connect, so "
        f"nothing reaches the webhook (enable_feishu_logging at {where(cfg, FEISHU)})",
        URL,
        f'Write the scheme: `feishu_url: "https://{url.strip()}"`.'
        if not cfg.is_secret(tuple(URL.split(".")))
        else "Write the URL with its scheme, https://.",
        data=f"https://{url.strip()}",
    )


def fix(cfg: Config, report: Report, files: Files) -> Fix | None:
    """The written URL given the scheme https://."""
    from ..fix.library import literal

    found = literal(cfg, files, report.key)
    return None if found is None else found.replaced(str(report.data))
