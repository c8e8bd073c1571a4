"""Settings from flags, the environment and the user's config file, in that order.

This is the only module that reads the environment or the config file; everything
else receives a `Config`.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casefile.core.archive import index_folder
from casefile.core.model import CasefileError
from casefile.core.read.folder import DEFAULT_MAX_FILE_BYTES
from casefile.core.wording import LANGUAGES, _

APP_NAME = "casefile"
SAMPLE_CASES = Path(__file__).parent / "sample_cases"


@dataclass(frozen=True, slots=True)
class Config:
    """Everything a command or the app needs to know about where things are."""

    cases_dir: Path
    """The case folder, resolved."""
    index_dir: Path | None
    """Where the on-disk index lives; None with `in_memory`."""
    in_memory: bool = False
    """`--no-disk-index`: keep the index in memory and write nothing anywhere."""
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    debug: bool = False
    color: bool = True
    """False when NO_COLOR is set."""
    editor: str | None = None
    """The user's $VISUAL or $EDITOR."""
    lang: str = "en"
    """The language casefile speaks to the user: "en" or "es" (`--lang`, config, locale)."""


def user_config_path(env: Mapping[str, str]) -> Path:
    """Where the optional user config file (TOML) lives."""
    if "CASEFILE_CONFIG" in env:
        return Path(env["CASEFILE_CONFIG"])
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def _read_user_config(path: Path) -> dict[str, Any]:
    """The user config file's settings, or {} when there is none."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CasefileError(_("cannot read config file {path}: {error}").format(path=path, error=exc)) from None


def locale_language(env: Mapping[str, str]) -> str:
    """The language the locale asks for, the way gettext reads it: the first of LANGUAGE
    (a colon-separated list), LC_ALL, LC_MESSAGES, LANG that is set; "en" when none we speak."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if not value:
            continue
        for item in value.split(":"):
            code = item.split(".")[0].split("@")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
        if name != "LANGUAGE":  # the first locale variable set decides, as in gettext
            return "en"
    return "en"


def choose_language(flag: str | None, env: Mapping[str, str] | None = None,
                    settings: Mapping[str, Any] | None = None) -> str:
    """`--lang`, else the config file's `lang`, else the locale; never fails (English fallback)."""
    env = os.environ if env is None else env
    if settings is None:
        try:
            settings = _read_user_config(user_config_path(env))
        except CasefileError:  # reported by load_config, in the language chosen here
            settings = {}
    for chosen in (flag, settings.get("lang")):
        if chosen and str(chosen).strip().lower() in LANGUAGES:
            return str(chosen).strip().lower()
    return locale_language(env)


def default_index_dir(cases_dir: Path, env: Mapping[str, str]) -> Path:
    """One index per case folder, in the user's cache directory."""
    if "CASEFILE_CACHE" in env:
        base = Path(env["CASEFILE_CACHE"])
    else:
        from platformdirs import user_cache_dir

        base = Path(user_cache_dir(APP_NAME, appauthor=False))
    key = hashlib.sha256(str(cases_dir).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return base / "indexes" / key


def choose_cases_dir(flag: str | None, env: Mapping[str, str], settings: Mapping[str, Any]) -> Path:
    """`--cases`, else $CASEFILE_DIR, else the config file, else ./cases, else the samples."""
    chosen = flag or env.get("CASEFILE_DIR") or settings.get("cases")
    if chosen:
        path = Path(str(chosen)).expanduser()
        if not path.is_dir():
            raise CasefileError(_("case folder not found: {path}").format(path=path))
        return path.resolve()
    local = Path.cwd() / "cases"
    return (local if local.is_dir() else SAMPLE_CASES).resolve()


def load_config(
    *,
    cases: str | None = None,
    index: str | None = None,
    no_disk_index: bool = False,
    max_file_size: int | None = None,
    debug: bool = False,
    lang: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Config:
    """Build the Config from command-line values, the environment and the config file."""
    env = os.environ if env is None else env
    settings = _read_user_config(user_config_path(env))
    cases_dir = choose_cases_dir(cases, env, settings)
    in_memory = no_disk_index or _truthy(env.get("CASEFILE_NO_DISK_INDEX")) \
        or bool(settings.get("no_disk_index"))
    chosen_index = index or env.get("CASEFILE_INDEX") or settings.get("index")
    if in_memory:
        index_dir = None
    elif chosen_index:
        index_dir = Path(str(chosen_index)).expanduser().resolve()
    else:
        index_dir = default_index_dir(cases_dir, env)
    if index_dir is not None:  # refused before anything runs: never write where casefile may not
        index_folder.check(index_dir, cases_dir)
    limit = max_file_size or _int(env.get("CASEFILE_MAX_FILE_SIZE")) \
        or _int(settings.get("max_file_size")) or DEFAULT_MAX_FILE_BYTES
    return Config(
        cases_dir=cases_dir,
        index_dir=index_dir,
        in_memory=in_memory,
        max_file_bytes=limit,
        debug=debug or _truthy(env.get("CASEFILE_DEBUG")),
        color="NO_COLOR" not in env,
        editor=env.get("VISUAL") or env.get("EDITOR"),
        lang=choose_language(lang, env, settings),
    )


def _truthy(value: str | None) -> bool:
    """True for 1/yes/true/on."""
    return (value or "").strip().lower() in {"1", "yes", "true", "on"}


def _int(value: object) -> int | None:
    """A positive int from a setting, or None."""
    try:
        number = int(str(value)) if value is not None else 0
    except ValueError:
        return None
    return number if number > 0 else None
