"""A base URL NexRL sends requests to needs `http://` or `https://`, and no `/v1` of its own.

## What it does
Judges the URLs NexRL builds requests from, as each NexRL version normalises them:

- `service.inference_service.base_url` (backends `sglang`, `vllm`, `openai`): NexRL 1.0 to 1.2
  use it as written, so it needs an `http://` or `https://` scheme and a host (an empty one
  fails too; from 1.3 that is `empty-url`'s finding). From 1.3 NexRL adds `http://` where
  Python's `urlparse` finds no scheme (`10.0.0.5:8000`, `localhost`), but `host:port` parses
  with `host` as the scheme and stays as written. At every version a path ending in `/v1`
  is refused: NexRL appends `/v1` itself.
- `service.tinker_service.base_url`, `service.weaver_service.base_url` and, from 1.4, a
  teacher's `trainer.teachers[].base_url`: the same scheme check (NexRL 1.3 and later add
  `https://` where no scheme parses).

A value waiting on an unset variable is not judged.

## Why is this bad?
NexRL builds its OpenAI client with `base_url + "/v1"` and its weight sync posts to
`base_url + "/update_weights"` and `"/workers"`. Without a scheme the client sends every
request to a relative URL ("Connection error"); with `/v1` it asks for
`.../v1/v1/completions` (404). Each attempt fails and the first rollout stops with "Failed to
get completion after all retries". The Tinker and Weaver clients cannot connect either, at
start-up.

## Example
```yaml
service:
  inference_service:
    backend: sglang
    base_url: "http://sglang-router:12345/v1"
```

## Use instead
```yaml
service:
  inference_service:
    backend: sglang
    base_url: "http://sglang-router:12345"
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..config import Config, split
from ..finding import Applicability, Fix, Report, Severity
from ..layout import INFERENCE, TINKER, TRAINER, WEAVER
from ..nexrl import OPENAI_CLIENT_BACKENDS, REMOTE_API_OPD, URL_SCHEME_ADDED, at_least
from ..resolve import Unknown
from ._services import certain_tail, path_of, scheme_problem
from ._values import at_tag

if TYPE_CHECKING:
    from ..fix.library import Files

SEVERITY = Severity.ERROR
SUMMARY = "A base URL needs http:// or https:// and must not end with /v1"
STAGE = "lint"
NEXRL = (
    "nexrl/inference_service_client/openai_inference_service_client.py@v1.0.0:50-54, "
    "@v1.2.0:105-108, @v1.3.0:109-117, @v1.4.0:109-117 (base_url + '/v1'); "
    "nexrl/utils/url_utils.py@v1.3.0:25-69 (ensure_url_scheme); "
    "nexrl/weight_sync/weight_sync_controller.py@v1.0.0:308,330, @v1.4.0:108-109,330,352; "
    "nexrl/tinker/tinker_service_holder.py@v1.4.0:76; "
    "nexrl/weaver/weaver_service_holder.py@v1.4.0:61-62; nexrl/trainer/teacher_client.py@v1.4.0:43"
)

BASE_URL = f"{INFERENCE}.base_url"
# Where the OpenAI-compatible client builds `base_url + "/v1"`, for each of VERSIONS.
CLIENT = ("52", "52", "107", "115", "115")


def check(cfg: Config) -> Iterator[Report]:
    adds = at_least(cfg.version, URL_SCHEME_ADDED)
    if cfg.get(f"{INFERENCE}.backend", None) in OPENAI_CLIENT_BACKENDS:
        yield from _inference(cfg, adds)
    for service in (TINKER, WEAVER):
        yield from _scheme(cfg, f"{service}.base_url", adds, "the service's client")
    if at_least(cfg.version, REMOTE_API_OPD):
        teachers = cfg.get(f"{TRAINER}.teachers", None)
        for i in range(len(teachers) if isinstance(teachers, list) else 0):
            key = f"{TRAINER}.teachers.{i}.base_url"
            yield from _scheme(cfg, key, adds, "the teacher's client")


def _inference(cfg: Config, adds: bool) -> Iterator[Report]:
    url = cfg.get(BASE_URL, None)
    where = (
        "nexrl/inference_service_client/openai_inference_service_client.py:"
        f"{at_tag(cfg.version, CLIENT)}"
    )
    if isinstance(url, Unknown):
        tail = certain_tail(url)
        if tail is not None and _ends_with_v1(tail):
            yield _doubled(cfg, where)
        return
    if not isinstance(url, str):
        return
    if not url.strip():
        if not adds:  # from 1.3, empty-url's
            yield cfg.report(
                f"base_url is {cfg.show(BASE_URL)}: NexRL {cfg.version} builds its inference "
                f'client with base_url + "/v1" ({where}), a relative URL: every request fails '
                "and the first rollout stops ('Failed to get completion after all retries')",
                BASE_URL,
                "Set base_url to the inference server, e.g. `http://sglang-router:12345`.",
            )
        return
    problem = scheme_problem(url, adds)
    if problem is not None:
        yield cfg.report(
            f"base_url {cfg.show(BASE_URL)} {problem}: NexRL {cfg.version} builds its "
            f'inference client with base_url + "/v1" ({where}), and every request fails to '
            "connect: the first rollout stops ('Failed to get completion after all retries')",
            BASE_URL,
            _scheme_hint(cfg, BASE_URL),
            data="scheme",
        )
        return
    if _ends_with_v1(path_of(url, adds).partition("?")[0]):
        yield _doubled(cfg, where)


def _ends_with_v1(path: str) -> bool:
    return path.rstrip("/").endswith("/v1")


def _doubled(cfg: Config, where: str) -> Report:
    return cfg.report(
        f"base_url {cfg.show(BASE_URL)} ends with /v1, which NexRL appends itself "
        f'(base_url + "/v1", {where}): its requests go to .../v1/v1/completions and fail '
        "(404) from the first rollout, and the weight sync's /update_weights and /workers "
        "miss the server's root",
        BASE_URL,
        "Remove /v1 from base_url: give the server's root URL.",
        data="v1",
    )


def _scheme(cfg: Config, key: str, adds: bool, client: str) -> Iterator[Report]:
    url = cfg.get(key, None)
    if not isinstance(url, str) or not url.strip():
        return  # null or empty: NexRL uses the default service; unknown: not judged
    problem = scheme_problem(url, adds)
    if problem is not None:
        yield cfg.report(
            f"{key.rsplit('.', 1)[-1]} {cfg.show(key)} {problem}: {client} cannot connect, "
            f"and NexRL {cfg.version} stops at start-up",
            key,
            _scheme_hint(cfg, key),
            data="scheme",
        )


def _scheme_hint(cfg: Config, key: str) -> str:
    if cfg.is_secret(split(key)):
        return "Make the variable hold an http:// or https:// URL, or write the scheme before it."
    return "Write the scheme (http:// or https://) before the host."


def fix(cfg: Config, report: Report, files: Files) -> Fix | None:
    """The scheme written before the host, or `/v1` taken off the end (unsafe: the server's
    own layout decides)."""
    from ..fix.library import literal

    found = literal(cfg, files, report.key)
    value = cfg.get(report.key, None)
    if found is None or not isinstance(value, str):
        return None
    if report.data == "scheme":
        default = "http" if report.key == BASE_URL else "https"
        text = value.strip()
        if "//" in text:
            return None
        return _unsafe(found.replaced(f"{default}://{text}"))
    text = value.rstrip("/")
    if report.data == "v1" and text.endswith("/v1"):
        return _unsafe(found.replaced(text[: -len("/v1")]))
    return None


def _unsafe(fixed: Fix | None) -> Fix | None:
    return None if fixed is None else fixed._replace(applicability=Applicability.UNSAFE)
