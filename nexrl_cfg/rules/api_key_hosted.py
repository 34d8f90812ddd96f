"""`api_key: "EMPTY"` against a hosted API.

## What it does
Warns when the inference service's `api_key` is `"EMPTY"` (set, or by default) while
`base_url` points at a hosted API such as api.openai.com.

## Why is this bad?
`EMPTY` is the placeholder for self-hosted engines without authentication. A hosted API
refuses every request ("Authentication Failed"), after the run has started.

## Example
```yaml
service:
  inference_service:
    base_url: "https://api.openai.com/v1"
    api_key: "EMPTY"
```

## Use instead
```yaml
service:
  inference_service:
    base_url: "https://api.openai.com/v1"
    api_key: "${oc.env:OPENAI_API_KEY}"
```
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from ..config import Config
from ..finding import Report, Severity
from ..layout import INFERENCE
from ._values import known, section_present

SEVERITY = Severity.WARNING
SUMMARY = 'api_key "EMPTY" against a hosted API'
STAGE = "lint"

HOSTED = (
    "api.openai.com",
    "api.anthropic.com",
    "generativelanguage.googleapis.com",
    "api.deepseek.com",
    "api.together.xyz",
    "api.groq.com",
    "api.mistral.ai",
    "api.fireworks.ai",
    "openrouter.ai",
    "openai.azure.com",
    "dashscope.aliyuncs.com",
)


def check(cfg: Config) -> Iterator[Report]:
    if not section_present(cfg, INFERENCE):
        return
    key = f"{INFERENCE}.api_key"
    api_key = cfg.get(key, "EMPTY")
    base_url = cfg.get(f"{INFERENCE}.base_url")
    if not known(api_key, base_url) or api_key != "EMPTY" or not isinstance(base_url, str):
        return
    host = (urlsplit(base_url).hostname or "").lower()
    if not any(host == h or host.endswith("." + h) for h in HOSTED):
        return
    yield cfg.report(
        f'api_key is "EMPTY" but base_url ({cfg.show(f"{INFERENCE}.base_url")}) is a hosted '
        "API, which needs a key",
        key if cfg.has(key) else f"{INFERENCE}.base_url",
        'Set `api_key: "${oc.env:OPENAI_API_KEY}"` (or the variable that holds your key).',
    )
