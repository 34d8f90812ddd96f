"""Where NexRL's own reference pages document each option: the page's title and section, as
`explain` shows them ("NexRL docs: Service configuration > Inference service options").

The catalogue cites a reference page by its name (`spec/service-config.md`); the table of
titles and sections (`catalogue/references.json`) is generated from NexRL's pages:

python -m nexrl_cfg.references SPEC_FOLDER            # rewrite the table
python -m nexrl_cfg.references SPEC_FOLDER --check    # exit 1 when it is stale

where SPEC_FOLDER holds the pages the catalogue cites (`service-config.md`,
`v1.4/service-config.md`, ...). An option's section is the `##` section of the page whose
`###` heading names it, or whose YAML examples write its path; in one long YAML example, the
`# ... CONFIGURATION` banner above it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

TABLE = Path(__file__).resolve().parent / "catalogue" / "references.json"
PREFIX = "spec/"
COMMAND = "python -m nexrl_cfg.references"
_FENCE = re.compile(r"^```(\w*)\s*$")
_HEADING = re.compile(r"^#{3,4} +`?([\w.\[\]*-]+)`?")
_BANNER = re.compile(r"^# ([A-Z][A-Z /&-]+CONFIGURATION)\s*$")


def pages_cited(source: str) -> list[str]:
    """The reference pages a catalogue `source` cites (`spec/service-config.md`)."""
    found = []
    for part in source.split(";"):
        part = part.strip()
        if part.startswith(PREFIX):
            found.append(re.split(r"[@:#]", part, maxsplit=1)[0])
    return found


def sentence(title: str) -> str:
    """A heading in sentence case, as NexRL's pages read in a line of text: words written in
    capitals or with inner capitals (FSDP, NexTrainer, SGLang) stay as they are."""
    if title.isupper():
        return title.capitalize()
    words = title.split(" ")
    return " ".join([words[0], *(_lower(word) for word in words[1:])])


def _lower(word: str) -> str:
    parts = word.split("-")
    simple = all(p.strip("()")[:1].isupper() and p.strip("()")[1:].islower() for p in parts)
    return word.lower() if simple else word


# -- reading NexRL's pages (when generating) ---------------------------------------------------


def _sections(text: str) -> tuple[str, list[dict[str, Any]]]:
    """A page's title and its `##` sections, each with its `###` headings and YAML blocks."""
    title = ""
    sections: list[dict[str, Any]] = []
    code: list[str] | None = None
    for line in text.splitlines():
        if _FENCE.match(line):
            if code is None:
                code = []
            else:
                if sections:
                    sections[-1]["blocks"].append("\n".join(code))
                code = None
        elif code is not None:
            code.append(line)
        elif line.startswith("# ") and not title:
            title = line[2:].strip()
        elif line.startswith("## "):
            sections.append({"title": line[3:].strip(), "heads": set(), "blocks": []})
        elif sections and (match := _HEADING.match(line)):
            sections[-1]["heads"].add(match.group(1))
    return title, sections


def _paths(data: Any, prefix: str = "") -> list[str]:
    out = []
    if isinstance(data, dict):
        for key, value in data.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            out += [path, *_paths(value, path)]
    return out


def _block_paths(block: str) -> dict[str, str]:
    """The dotted key paths a YAML example writes, each with the banner above it ("")."""
    import yaml

    out: dict[str, str] = {}
    banner = ""
    lines: list[str] = []
    parts: list[tuple[str, str]] = []
    for line in block.splitlines():
        match = _BANNER.match(line)
        if match:
            parts.append((banner, "\n".join(lines)))
            banner, lines = match.group(1), []
        else:
            lines.append(line)
    parts.append((banner, "\n".join(lines)))
    for name, text in [*parts, ("", block)]:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        for path in _paths(data):
            out.setdefault(path, name)
    return out


def _writes(paths: dict[str, str], path: str) -> str | None:
    """The banner of an example path that ends the catalogue `path` (two parts at least, `*`
    any name), "" without a banner, None when no example writes it."""
    wanted = path.replace("[]", "").split(".")
    for written, banner in paths.items():
        parts = written.split(".")
        if len(parts) < min(2, len(wanted)) or len(parts) > len(wanted):
            continue
        if all(w in ("*", p) for w, p in zip(wanted[-len(parts) :], parts, strict=True)):
            return banner
    return None


def _tokens(path: str, title: str) -> set[str]:
    """The words of the sections around `path` that the page's title does not already say."""
    words = {t for part in path.split(".")[:-1] for t in part.split("_")} - {"config", "service"}
    return {t for t in words if not _said(t, title)}


def _said(token: str, text: str) -> bool:
    """Whether a word of `text` is `token`, or shares its first five letters with it."""
    for word in re.findall(r"[a-z]+", text.lower()):
        if word == token or (len(token) >= 5 and word[:5] == token[:5]):
            return True
    return False


def section_of(path: str, title: str, sections: list[dict[str, Any]]) -> str:
    """The section of a page that documents the catalogue `path`. A heading naming it counts
    two, a section title naming a section around it two, an example writing it one (two
    under a banner); the best with two or more wins, the first of equals."""
    name = path.rsplit(".", 1)[-1].replace("[]", "")
    tail = ".".join(path.split(".")[-2:])
    tokens = _tokens(path, title)
    best, score = "", 1
    for section in sections:
        points, banner = 0, None
        if name in section["heads"] or tail in section["heads"]:
            points += 2
        if any(_said(t, section["title"]) for t in tokens):
            points += 2
        for block in section["blocks"]:
            banner = _writes(_block_paths(block), path)
            if banner is not None:
                points += 2 if banner else 1
                break
        if points > score:
            best, score = sentence(banner or section["title"]), points
    return best


def generate(spec: Path) -> dict[str, Any]:
    """The table: each cited page's title, and the section of each option citing it."""
    from . import catalogue

    read: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    titles: dict[str, str] = {}
    sections: dict[str, dict[str, str]] = {}
    for entry in catalogue.all_entries():
        for page in pages_cited(entry.source):
            if page not in read:
                read[page] = _sections((spec / page[len(PREFIX) :]).read_text(encoding="utf-8"))
                titles[page] = sentence(read[page][0])
            found = section_of(entry.path, read[page][0], read[page][1])
            if found:
                sections.setdefault(page, {})[entry.path] = found
    return {
        "pages": dict(sorted(titles.items())),
        "sections": {page: dict(sorted(s.items())) for page, s in sorted(sections.items())},
    }


def dumps(table: dict[str, Any]) -> str:
    return json.dumps(table, indent=1, ensure_ascii=False) + "\n"


# -- using the table ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(TABLE.read_text(encoding="utf-8"))
    return loaded


def documented(path: str, source: str) -> list[str]:
    """ "Service configuration > Inference service options" for each page `source` cites."""
    pages, sections = table()["pages"], table()["sections"]
    out = []
    for page in pages_cited(source):
        title = pages.get(page, page[len(PREFIX) :])
        section = sections.get(page, {}).get(path)
        out.append(f"{title} > {section}" if section else title)
    return list(dict.fromkeys(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument("spec", type=Path, help="the folder of NexRL's reference pages")
    parser.add_argument("--check", action="store_true", help="exit 1 when the table is stale")
    args = parser.parse_args(argv)
    text = dumps(generate(args.spec))
    if args.check:
        if TABLE.read_text(encoding="utf-8") != text:
            print(f"{TABLE.name} is stale; run `{COMMAND} SPEC_FOLDER`", file=sys.stderr)
            return 1
        return 0
    TABLE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
