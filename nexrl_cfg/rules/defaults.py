"""A defaults list entry cannot be composed

## What it does
Checks the Hydra `defaults:` list of a config and of every config it includes, by Hydra
1.3's rules: it must be a list; each entry a config name (`common`, `/common`, `_self_`,
`name@package`) or a group choice (`group: option`, `group: [a, b]`, `group: null`, with
`optional` or `override`) naming a `.yaml` config that exists (relative to the folder of the
file that lists it), inside the config folder, without forming a cycle. `_self_` is listed at
most once, a group is chosen once (`override` changes a choice made elsewhere in the tree,
must match one, and comes at the end of its list), a group left as `???` must be chosen on
the command line, a choice written as an interpolation must evaluate to an option, a
`# @package` header must read `# @package NAME`, and the sources must merge (a list does not
merge into a mapping, nor a mapping into a list).

## Why is this bad?
Hydra stops before NexRL starts on each of these; a cycle or a path outside the config
folder is never what was meant.

## Example
```yaml
defaults:
  - comon
  - _self_
```

## Use instead
```yaml
defaults:
  - common
  - _self_
```
"""

from __future__ import annotations

from ..finding import Severity

ID = "defaults"
SEVERITY = Severity.ERROR
SUMMARY = "A defaults list entry cannot be composed"
STAGE = "compose"
