"""A URL NexRL connects to at start-up must not be empty.

## What it does
Reports a missing `logger.feishu_url` when `logger.enable_feishu_logging` is true and, from
NexRL 1.3, an empty one, and an empty `service.inference_service.base_url` for the `sglang`,
`vllm` and `openai` backends (all served through NexRL's OpenAI-compatible client). A missing
`base_url` is reported by `missing-required`.

## Why is this bad?
NexRL raises "base_url is required for OpenAI inference service" when it builds the rollout
workers' inference clients, and "URL is required for LarkReporter" when it sets up logging.
(Before 1.3 NexRL accepted the empty URL and failed at the first request: `url-shape`'s
finding.)

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
            "enable_feishu_logging is true but feishu_url is not set: NexRL reads it",
            FEISHU,
            "Set logger.feishu_url, or `enable_feishu_logging: false`.",
        )
    elif strict and empty(cfg.get(URL)):
        yield cfg.report(
            f"feishu_url is {cfg.show(URL)} but enable_feishu_logging is true "
            f"({where(cfg, FEISHU)}): NexRL's Feishu reporter requires a URL",
            URL,
            f"Export {env_variable(cfg, URL)} with the webhook, or `enable_feishu_logging: false`."
            if env_variable(cfg, URL)
            else "Set feishu_url to the webhook, or `enable_feishu_logging: false`.",
        )
