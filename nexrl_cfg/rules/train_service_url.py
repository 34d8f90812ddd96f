"""A training service's `url` must be an http(s) base URL without a path.

## What it does
For the training services whose NexTrainer workers NexRL starts (`backend` http, nextrainer or
direct-zmq, under `self_hosted_grpo` or `self_hosted_opd`: the actor and the OPD teacher),
checks `url` as NexRL's client uses it: it appends `/initialize`, `/init_model`, ... to it.

- A scheme: before NexRL 1.3 the URL is used as written, so `10.0.0.1:8000` fails; from 1.3
  NexRL adds `http://` when Python's urlparse finds no scheme, which is so for an IP address
  and a port, but not for `localhost:8000` or `api-server:8000`, where urlparse reads the host
  as the scheme.
- No path: `http://host:8000/v1` makes the client ask for `/v1/initialize`, which the training
  API server does not serve. A trailing `/` is fine (NexRL strips it).

A URL waiting on an unset variable is judged by its written start only.

## Why is this bad?
The first request, when NexRL initialises the training workers at start-up, fails: requests
raises InvalidSchema ("No connection adapters were found") for a URL without an http(s)
scheme, and the API server answers 404 under a path.

## Example
```yaml
service:
  train_service:
    main_actor:
      backend: direct-zmq
      url: "localhost:8000/v1"
```

## Use instead
```yaml
service:
  train_service:
    main_actor:
      backend: direct-zmq
      url: "http://localhost:8000"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..nexrl import TRAIN_URL_SCHEME_ADDED, at_least
from ..resolve import Unknown
from ._services import certain_head, fsdp_services, path_of, scheme_problem

SEVERITY = Severity.ERROR
SUMMARY = "A training service's url must be an http(s) base URL without a path"
STAGE = "lint"
NEXRL = (
    "nexrl/train_service_backend/api/client.py:68,146-167@v1.0.0 (used as written); "
    "nexrl/utils/url_utils.py:25-66 and "
    "nexrl/train_service_backend/api/direct_zmq_client.py:90,685@v1.3.0 (http:// added when "
    "urlparse finds no scheme); nexrl/trainer/self_hosted_trainer.py:114@v1.0.0, :154@v1.4.0 "
    "(the first request)"
)


def check(cfg: Config) -> Iterator[Report]:
    adds = at_least(cfg.version, TRAIN_URL_SCHEME_ADDED)
    for service in fsdp_services(cfg):
        key = f"{service}.url"
        value = cfg.get(key, None)
        if isinstance(value, str) and value.strip():
            yield from _known(cfg, key, value, adds)
        elif isinstance(value, Unknown):
            yield from _waiting(cfg, key, value, adds)


def _known(cfg: Config, key: str, url: str, adds: bool) -> Iterator[Report]:
    shown = cfg.show(key)
    problem = scheme_problem(url, adds)
    if problem is not None:
        hint = f"Write `http://{url.strip()}`." if "://" not in url else "Use http:// or https://."
        yield _refused(cfg, key, problem, hint)
        return
    path = path_of(url, adds)
    if path:
        yield cfg.report(
            f"url {shown} has the path {path}: NexRL appends /initialize, /init_model, ... "
            f"to it, and the training API server answers 404 for {path}/initialize at start-up",
            key,
            f"Remove {path}: the API server's address alone, as http://host:port.",
        )


def _waiting(cfg: Config, key: str, value: Unknown, adds: bool) -> Iterator[Report]:
    """A URL with an unset variable in it: its written start may already decide the scheme."""
    head = certain_head(value)
    if not head or "://" in head or ":" not in head:
        return  # the variable may still bring the scheme
    problem = scheme_problem(head, adds)
    if problem is not None:
        yield _refused(cfg, key, problem, "Start it with http://.")


def _refused(cfg: Config, key: str, problem: str, hint: str) -> Report:
    return cfg.report(
        f"url {cfg.show(key)} {problem}: NexRL {cfg.version} sends its first request to the "
        "training workers there at start-up, and requests refuses it",
        key,
        hint,
    )
