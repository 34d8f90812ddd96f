"""`api_key: "EMPTY"` against a hosted API.

## What it does
Reports the inference service's `api_key` being `"EMPTY"` while
`base_url` points at a hosted API such as api.openai.com: an error where a rollout worker
calls the client (`need_llm_inference: true`, worker `simple`, `agent` or `nexau`), else a
warning.

## Why is this bad?
`EMPTY` is the placeholder for self-hosted engines without authentication. A hosted API
refuses every request ("Authentication Failed"): NexRL's client makes its `max_retries`
attempts and the first rollout stops with "Failed to get completion after all retries".

## Example
```yaml
service:
  inference_service:
    base_url: "https://api.openai.com"
    api_key: "EMPTY"
```

## Use instead
```yaml
service:
  inference_service:
    base_url: "https://api.openai.com"
    api_key: "${oc.env:OPENAI_API_KEY}"
```
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from ..config import Config
from ..finding import Report, Severity
from ..layout import INFERENCE, ROLLOUT
from ._values import known, section_present

SEVERITY = Severity.ERROR
SUMMARY = 'api_key "EMPTY" against a hosted API'
STAGE = "lint"
NEXRL = (
    "nexrl/inference_service_client/openai_inference_service_client.py@v1.0.0:50-54,112-131, "
    "@v1.4.0:113-117,212-231 (the key sent with each request; the attempts, then ValueError)"
)

# Workers that call the inference client (the pig_latin and mock workers never do).
GENERATING = ("simple", "agent", "nexau")
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
    if not cfg.has(key):
        return  # NexRL reads it without a default: missing-required's
    api_key = cfg.get(key)
    base_url = cfg.get(f"{INFERENCE}.base_url")
    if not known(api_key, base_url) or api_key != "EMPTY" or not isinstance(base_url, str):
        return
    host = (urlsplit(base_url).hostname or "").lower()
    if not any(host == h or host.endswith("." + h) for h in HOSTED):
        return
    calls = (
        cfg.get(f"{ROLLOUT}.need_llm_inference", False) is True
        and cfg.get(f"{ROLLOUT}.type", None) in GENERATING
    )
    effect = (
        ": every request is refused, and the first rollout stops after max_retries attempts "
        "('Failed to get completion after all retries')"
        if calls
        else ""
    )
    yield cfg.report(
        f'api_key is "EMPTY" but base_url ({cfg.show(f"{INFERENCE}.base_url")}) is a hosted '
        f"API, which needs a key{effect}",
        key,
        'Set `api_key: "${oc.env:OPENAI_API_KEY}"` (or the variable that holds your key).',
        severity=None if calls else Severity.WARNING,
    )
