"""A catalog root as the commands see it: its config, its files (working tree or a git
revision), loading them into a catalog with the caches, and the rules' findings per catalog.

It never prints and never imports click; progress and warnings go to the
callbacks the CLI gives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from monops_lint import build
from monops_lint.catalog import Catalog
from monops_lint.config import CONFIG_NAME, Config, find_root, load_config
from monops_lint.errors import MonopsError
from monops_lint.findings import Finding
from monops_lint.lint import Side
from monops_lint.load import Snapshot, assemble, read_snapshot
from monops_lint.money import declare_currencies
from monops_lint.rules import all_rules
from monops_lint.runtime.cache import ResultCache, cache_directory, catalog_key
from monops_lint.runtime.checking import check_catalogs_forked
from monops_lint.runtime.parsing import SharedFiles, file_digest, load_snapshot
from monops_lint.source.tree import FileSource, WorkingTree, check_relative
from monops_lint.source.unread import shown_path

if TYPE_CHECKING:
    from monops_lint.source.gitrev.objects import KnownObjects

Progress = Callable[[str], None]
"""Told what a long command is doing now ("parsing 10,000 files"); the CLI shows it."""

PROGRESS_MIN_FILES = 1000  # smaller catalogs finish before a status line could be read


def catalog_files(source: FileSource, paths: Sequence[str]) -> list[str]:
    """The catalog files of ``source`` under ``paths``: monops.yaml is the config, never one
    of them, even when the root itself is a path."""
    return [path for path in source.list_files(paths) if path != CONFIG_NAME]


@dataclass(frozen=True)
class Workspace:
    """A catalog root and its validated config."""

    root: Path
    config: Config
    use_cache: bool = True
    progress: Progress | None = None
    warn: Progress | None = None
    """Told, once, why the cache folder is not used (the CLI prints it as a warning)."""
    _caches: dict[str, ResultCache | None] = field(default_factory=dict, compare=False,
                                                   repr=False)

    @classmethod
    def open(cls, root: Path | None, cwd: Path | None = None,
             use_cache: bool = True, progress: Progress | None = None,
             warn: Progress | None = None, near: Sequence[str] = ()) -> Workspace:
        """The workspace at ``root``, or at the nearest folder upward holding monops.yaml:
        above the files ``near`` when there are some (pre-commit runs from the repository's
        top and names files of a catalog in a subfolder), else above ``cwd``.

        A config already validated (same bytes, same monops) comes from the
        cache, so that a warm run does not import the rules to check it again.
        """
        if root is not None:
            root = root.resolve()
            if not root.is_dir():
                raise MonopsError(f"--root {root}: no such folder")
            if not (root / "monops.yaml").is_file():
                raise MonopsError(f"--root {root}: no monops.yaml there "
                                  "(run `monops init DIR` to start a catalog)")
        else:
            root = root_near(near, cwd or Path.cwd()) or find_root(cwd or Path.cwd())
        warn = _once(warn)
        return cls(root, _config(root, use_cache, warn), use_cache, progress, warn)

    def step(self, message: str) -> None:
        """Report ``message`` as progress: a step of work that takes seconds whatever the
        catalog's size (pricing a customer base)."""
        if self.progress is not None:
            self.progress(message)

    def progress_on(self, files: int, message: str) -> None:
        """Report ``message`` as progress when the catalog (``files`` files) is large."""
        if self.progress is not None and files >= PROGRESS_MIN_FILES:
            self.progress(message)

    def snapshot(self, source: FileSource | None = None,
                 config: Config | None = None) -> Snapshot:
        """Every catalog file of ``source`` (default: the working tree), read once."""
        source = source or WorkingTree(self.root)
        config = config or self.config
        files = catalog_files(source, config.paths)
        if not files:
            raise MonopsError(f"no catalog files (*.yaml, *.yml) under "
                              f"{', '.join(config.paths)} in {self.root} "
                              "(check `paths` in monops.yaml)")
        sha = getattr(source, "sha", None)  # a git revision's commit
        self.progress_on(len(files), f"reading {len(files):,} files"
                 + (f" at {sha[:12]}" if isinstance(sha, str) else ""))
        return read_snapshot(source, files, config.max_file_bytes)

    def catalog(self, source: FileSource | None = None, config: Config | None = None,
                shared: SharedFiles | None = None) -> Catalog:
        """Load the catalog from ``source`` (default: the working tree) under ``config``,
        parsing only the files whose content the cache (and ``shared``: the other side of a
        diff) has not seen."""
        config = config or self.config
        snapshot = self.snapshot(source, config)
        digests = file_digests(snapshot)
        return self.load(snapshot, digests, config, shared, fingerprint(snapshot, digests))

    def load(self, snapshot: Snapshot, digests: Sequence[bytes], config: Config,
             shared: SharedFiles | None, files_key: str) -> Catalog:
        """Parse and check what ``shared`` and the cache do not hold yet (``digests``: the
        files' ``file_digests``); keep it cached."""
        cache = self.open_cache(config) if self.use_cache else None
        self.progress_on(len(snapshot), f"parsing and checking {len(snapshot):,} files")
        results = load_snapshot(snapshot, digests, config.max_file_bytes, shared, cache)
        if cache is not None:
            cache.save()
        return assemble(results, shared.entity if shared is not None else build.entity,
                        files_key)

    def check(self, sides: Sequence[Side], today: dt.date) -> list[list[Finding]]:
        """The load and catalog rules over ``sides`` (``lint.CheckCatalogs``), with a worker
        for the rules that price on a large catalog."""
        return check_catalogs_forked(sides, today)

    def cached_findings(self, sides: Sequence[Side], today: dt.date
                        ) -> list[tuple[Finding, ...] | None]:
        """For each (catalog, config): what its load and catalog rules found on ``today`` in
        an earlier run (``LintResult.checked``), or None when the cache does not have it."""
        found = []
        for catalog, config in sides:
            slot = self._checked_slot(catalog, config, today)
            value = slot[0].get_result(slot[1], "checked") if slot is not None else None
            found.append(value if isinstance(value, tuple) else None)
        return found

    def keep_findings(self, sides: Sequence[Side], today: dt.date,
                      cached: Sequence[tuple[Finding, ...] | None],
                      checked: Sequence[tuple[Finding, ...]]) -> None:
        """Keep ``checked`` (each side's ``LintResult.checked``) for the sides ``cached`` did
        not have; the cache holds the two most recent catalogs (both sides of a diff)."""
        for (catalog, config), seen, found in zip(sides, cached, checked, strict=True):
            slot = self._checked_slot(catalog, config, today) if seen is None else None
            if slot is not None:
                slot[0].put_result(slot[1], found, "checked", keep=2)

    def _checked_slot(self, catalog: Catalog, config: Config, today: dt.date
                      ) -> tuple[ResultCache, str] | None:
        cache = self.open_cache(config) if self.use_cache and catalog.fingerprint else None
        return None if cache is None else (cache, f"{catalog.fingerprint}|{today.isoformat()}")

    def open_cache(self, config: Config | None = None) -> ResultCache | None:
        """The content cache for this root and config (None when it cannot be used)."""
        config = config or self.config
        if config.digest not in self._caches:  # one per config: a diff reads the packs once
            cache = ResultCache(cache_directory(), self.root, config.digest)
            if cache.refused is not None and self.warn is not None:
                self.warn(_refusal(cache.refused))
            self._caches[config.digest] = cache if cache.enabled else None
        return self._caches[config.digest]

    @staticmethod
    def cache_folder() -> Path:
        """Where the content cache lives (``MONOPS_CACHE_DIR`` moves it)."""
        return cache_directory()

    def source(self, rev: str | None = None, known: KnownObjects | None = None
               ) -> tuple[FileSource, Config]:
        """The catalog files at ``rev`` (a git revision) or in the working tree, and the
        config that goes with them (monops.yaml as it is at that revision). ``known``: the
        git objects another revision read already (see ``KnownObjects``)."""
        if rev is None:
            return WorkingTree(self.root), self.config
        from monops_lint.source.gitrev import GitTree

        tree = GitTree.at(self.root, rev, known)
        data = tree.read_optional(CONFIG_NAME)
        if data is None:
            raise MonopsError(f"there is no monops.yaml at revision {rev} ({tree.sha[:12]})")
        options = {rule.id: rule.options for rule in all_rules().values()}
        config = load_config(self.root, options, data, shown_as=f"{rev}:{CONFIG_NAME}")
        return tree, config

    def template_reader(self, source: FileSource, config: Config) -> Callable[[str], str | None]:
        """Reads the catalog's own invoice templates (``templates:`` in monops.yaml)."""
        folder = config.templates

        def read(name: str) -> str | None:
            if folder is None:
                return None
            data = source.read_optional(f"{check_relative(folder).rstrip('/')}/{name}")
            if data is None:
                return None
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise MonopsError(f"template {folder}/{name} is not UTF-8") from exc

        return read

    def relative(self, paths: Sequence[str], cwd: Path | None = None) -> list[str]:
        """Command-line paths (relative to ``cwd``) as root-relative ``/`` paths."""
        base = (cwd or Path.cwd()).resolve()
        found = []
        for text in paths:
            full = (base / text).resolve()
            try:
                relative = full.relative_to(self.root)
            except ValueError as exc:
                raise MonopsError(f"{text} is outside the catalog root {self.root}") from exc
            if not full.exists():
                raise MonopsError(f"{text}: no such file or folder")
            if str(relative) == ".":
                return []  # the whole catalog: no filter
            found.append(shown_path(relative.as_posix()))  # as the sources list a name
        return found

    def inside(self, paths: Sequence[str], cwd: Path | None = None) -> list[str]:
        """The command-line paths that lie inside the catalog root (the others are not
        catalog files: pre-commit passes every staged YAML file of the repository)."""
        base = (cwd or Path.cwd()).resolve()
        return [text for text in paths if (base / text).resolve().is_relative_to(self.root)]

    def repo_prefix(self) -> str:
        """The root relative to its git repository's top (``""`` at the top or outside git)."""
        for folder in (self.root, *self.root.parents):
            if (folder / ".git").exists():
                relative = self.root.relative_to(folder).as_posix()
                return "" if relative == "." else relative
        return ""


def root_near(paths: Sequence[str], cwd: Path) -> Path | None:
    """The nearest folder holding monops.yaml above ``paths`` (None when no path is in a
    catalog); an error when they belong to different catalogs."""
    roots = set()
    for text in paths:
        full = (cwd / text).resolve()
        try:
            roots.add(find_root(full if full.is_dir() else full.parent))
        except MonopsError:
            continue  # not in a catalog: not a catalog file
    if len(roots) > 1:
        shown = ", ".join(str(r) for r in sorted(roots))
        raise MonopsError(f"the files belong to several catalogs ({shown}); run monops once "
                          "per catalog (--root DIR)")
    return roots.pop() if roots else None


def file_digests(snapshot: Snapshot) -> list[bytes]:
    """Each file's content digest (its key in the cache), in the snapshot's order."""
    return [file_digest(data) for _, data in snapshot]


def fingerprint(snapshot: Snapshot, digests: Sequence[bytes]) -> str:
    """The key of a catalog's files: every path and content digest (``Catalog.fingerprint``)."""
    return catalog_key(zip((path for path, _ in snapshot), digests, strict=True), "")


def _refusal(reason: str) -> str:
    return f"not using the cache: {reason}"


def _once(warn: Progress | None) -> Progress | None:
    """``warn``, saying each message once (every cache of a run refuses the same folder)."""
    if warn is None:
        return None
    said: set[str] = set()

    def say(message: str) -> None:
        if message not in said:
            said.add(message)
            warn(message)

    return say


def _config(root: Path, use_cache: bool, warn: Progress | None = None) -> Config:
    path = root / CONFIG_NAME
    try:
        data = path.read_bytes() if not path.is_symlink() else None
    except OSError:
        data = None  # load_config says what is wrong, in one line
    cache = ResultCache(cache_directory(), root, "config") if use_cache and data else None
    if cache is not None and cache.refused is not None and warn is not None:
        warn(_refusal(cache.refused))
    key = hashlib.sha256(data or b"").hexdigest()
    if cache is not None and cache.enabled:
        stored = cache.get_result(key)
        if isinstance(stored, Config):
            declare_currencies(stored.currencies)  # as reading it declared them
            return stored
    options = {rule.id: rule.options for rule in all_rules().values()}
    config = load_config(root, options)
    if cache is not None and cache.enabled:
        cache.put_result(key, config)
    return config
