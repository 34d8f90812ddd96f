"""A URL NexRL connects to at start-up must not be empty.

## What it does
Reports a missing `logger.feishu_url` when `logger.enable_feishu_logging` is true and an
empty one (an error from NexRL 1.3, a warning before: NexRL then sends nothing), and, from
NexRL 1.3, an empty `service.inference_service.base_url` for the `sglang`, `vllm` and
`openai` backends (all served through NexRL's OpenAI-compatible client). A missing
`base_url` is reported by `missing-required`. A value read from an environment variable that
is set but empty is reported too: the hint says to export the variable.

## Why is this bad?
NexRL raises "base_url is required for OpenAI inference service" when it builds the rollout
workers' inference clients, and "URL is required for LarkReporter" when it sets up logging.
(Before 1.3 NexRL accepted an empty base URL and failed at the first request: `url-shape`'s
finding; an empty Feishu URL made every message fail to send, caught by the reporter.)

## Example
```yaml
logger:
  enable_feishu_logging: true
  feishu_url: ""
```

## Use instead
```yaml
logger:
  enable_feishu_logging: true
  feishu_url: "${oc.env:FEISHU_WEBHOOK_URL}"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..layout import INFERENCE, LOGGER
from ..nexrl import EMPTY_URLS_REFUSED, OPENAI_CLIENT_BACKENDS, at_least
from ._services import empty
from ._values import env_variable, where

SEVERITY = Severity.ERROR
SUMMARY = "base_url and feishu_url must not be empty"
STAGE = "lint"
NEXRL = (
    "nexrl/inference_service_client/openai_inference_service_client.py; "
    "nexrl/utils/logger/feishu_logger.py"
)

BASE_URL = f"{INFERENCE}.base_url"
FEISHU, URL = f"{LOGGER}.enable_feishu_logging", f"{LOGGER}.feishu_url"


def check(cfg: Config) -> Iterator[Report]:
    strict = at_least(cfg.version, EMPTY_URLS_REFUSED)
    client = cfg.get(f"{INFERENCE}.backend", None) in OPENAI_CLIENT_BACKENDS
    if strict and client and cfg.has(BASE_URL) and empty(cfg.get(BASE_URL)):
        variable = env_variable(cfg, BASE_URL)
        yield cfg.report(
            f"base_url is {cfg.show(BASE_URL)}: NexRL's inference client requires a URL",
            BASE_URL,
            f"Export {variable} with the inference server's URL where NexRL runs."
            if variable
            else "Set base_url to the inference server, e.g. `${oc.env:INFERENCE_BASE_URL}`.",
        )
    if cfg.get(FEISHU, None) is not True:
        return
    if not cfg.has(URL):
        yield cfg.report(
            f"enable_feishu_logging is true ({where(cfg, FEISHU)}) but feishu_url is not set: "
            "NexRL reads it",
            URL,
            "Set logger.feishu_url, or `enable_feishu_logging: false`.",
            at="key",
        )
    elif empty(cfg.get(URL)):
        effect = (
            "NexRL's Feishu reporter requires a URL"
            if strict
            else f"NexRL {cfg.version} takes it, and every message fails to send (requests "
            "raises MissingSchema, which the reporter catches): nothing is ever sent"
        )
        variable = env_variable(cfg, URL)
        yield cfg.report(
            f"feishu_url is {cfg.show(URL)} but enable_feishu_logging is true "
            f"({where(cfg, FEISHU)}): {effect}",
            URL,
            f"Export {variable} with the webhook, or `enable_feishu_logging: false`."
            if variable
            else "Set feishu_url to the webhook, or `enable_feishu_logging: false`.",
            severity=None if strict else Severity.WARNING,
        )
