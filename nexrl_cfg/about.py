"""The tool itself: its name, version (pyproject.toml's too) and home page (SARIF's
informationUri, pyproject's URLs)."""

NAME = "nexrl-cfg"
VERSION = "0.2.0"
HOMEPAGE = "https://github.com/nexrl-cfg/nexrl-cfg"
