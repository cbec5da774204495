"""Revisions and catalog files read from git objects, against real repositories in tmp_path.

Every repository here is built with `git` run with fixed arguments; each
expected SHA is the commit the test itself made, so what a revision should
name is known before monops resolves it.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from collections.abc import Mapping
from pathlib import Path

import git as gitpython
import pytest

from monops_lint.errors import MonopsError
from monops_lint.source.gitrev import (
    GitTree,
    changed_files,
    find_repository,
    parse_revision,
    resolve_revision,
)
from monops_lint.source.tree import WorkingTree
from monops_lint.source.unread import Oversized

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
}


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git config reaches the tests (GitPython's git inherits this too)."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)


def git(cwd: Path, *args: str, strip: bool = True) -> str:
    """Run git with fixed arguments in ``cwd``; its stdout (stripped unless told)."""
    done = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV})
    return done.stdout.strip() if strip else done.stdout


def make_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    return path


def commit(repo: Path, files: Mapping[str, str | None], message: str = "change") -> str:
    """Write (or, for None, delete) ``files``, commit everything, return the new commit's SHA."""
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def fetch_command(message: str) -> list[str]:
    """The `git fetch ...` command quoted in an error message, as argv."""
    match = re.search(r"`(git fetch [^`]*)`", message)
    assert match, message
    argv = shlex.split(match.group(1))
    assert argv[:2] == ["git", "fetch"]
    return argv


def snapshot(repo: Path) -> tuple[str, bytes, dict[str, bytes]]:
    """What a reader must not change: `git status`, the index file, every working-tree file."""
    status = git(repo, "--no-optional-locks", "status", "--porcelain=v1",
                 "--untracked-files=all", strip=False)
    files = {p.relative_to(repo).as_posix(): p.read_bytes() for p in sorted(repo.rglob("*"))
             if p.is_file() and ".git" not in p.relative_to(repo).parts}
    return status, (repo / ".git" / "index").read_bytes(), files


# --- the revision grammar ---------------------------------------------------------------

@pytest.mark.parametrize("rev, name, steps", [
    ("HEAD", "HEAD", ()),
    ("HEAD~1", "HEAD", (("~", 1),)),
    ("HEAD~", "HEAD", (("~", 1),)),
    ("main^2~3", "main", (("^", 2), ("~", 3))),
    ("v1.2^0", "v1.2", (("^", 0),)),
    ("origin/main", "origin/main", ()),
    ("refs/pull/7/merge", "refs/pull/7/merge", ()),
    ("feature/x+y_z-1", "feature/x+y_z-1", ()),
    ("ABCDEF1", "ABCDEF1", ()),
    ("FETCH_HEAD", "FETCH_HEAD", ()),
])
def test_accepted_revision_syntax(rev: str, name: str, steps: tuple[tuple[str, int], ...]) -> None:
    revision = parse_revision(rev)
    assert (revision.name, revision.steps) == (name, steps)


def test_hops_count_parent_links() -> None:
    # ~3 walks three links, ^2 one (to the second parent), ^0 none.
    assert parse_revision("main~3^2^0").hops == 4


REFUSED = [
    ("", "empty revision"),
    ("--output=/tmp/x", "starts with '-'"),
    ("-h", "starts with '-'"),
    ("--upload-pack=touch /tmp/pwned", "starts with '-'"),
    ("main..feature", r"'\.\.' is not accepted"),
    ("main...feature", r"'\.\.' is not accepted"),
    ("../../etc/passwd", r"'\.\.' is not accepted"),
    ("x@{y}", "'@'"),
    ("@{-1}", "'@'"),
    ("main@{upstream}", "'@'"),
    ("@", "'@'"),
    ("HEAD:monops.yaml", "':'"),
    (":/fix", "':'"),
    ("HEAD^{tree}", r"\^\{\.\.\.\}"),
    (" main", "whitespace"),
    ("main\n", "whitespace"),
    ("ma\x00in", "control character"),
    ("ma\x1b[31min", "control character"),
    ("main~-1", r"only ~N and \^N steps"),
    ("HEAD~1234567", r"only ~N and \^N steps"),
    ("~1", "must start with a name"),
    ("refs/heads/.hidden", "not a valid branch or tag name"),
    ("main.lock", "not a valid branch or tag name"),
    ("feature//x", "not a valid branch or tag name"),
    ("/etc/passwd", "not a valid branch or tag name"),
    ("origin/-x", "not a valid branch or tag name"),
    ("feature*", "not accepted in a name"),
    ("m\u00e4in", "not accepted in a name"),
    ("a\\b", "not accepted in a name"),
    ("x" * 300, "longer than 255"),
]


@pytest.fixture
def one_commit_repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo")
    commit(repo, {"monops.yaml": "paths: [catalog]\n"})
    return repo


@pytest.mark.parametrize("rev, reason", REFUSED)
def test_refused_before_any_git_call(rev: str, reason: str, one_commit_repo: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def no_git(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"git was called for {rev!r}")

    monkeypatch.setattr(gitpython.Repo, "__init__", no_git)
    monkeypatch.setattr(subprocess, "Popen", no_git)
    with pytest.raises(MonopsError, match=reason) as caught:
        resolve_revision(one_commit_repo, rev)
    assert "\n" not in str(caught.value)


# --- resolving names ----------------------------------------------------------------------

@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, str, str]:
    """main: c1 -> c2. feature, `light`, annotated `v1` at c1; annotated `v2` at c2."""
    repo = make_repo(tmp_path / "repo")
    c1 = commit(repo, {"catalog/products/a.yaml": "v: 1\n"}, "one")
    git(repo, "tag", "light")
    git(repo, "tag", "-a", "v1", "-m", "release 1")
    git(repo, "branch", "feature")
    c2 = commit(repo, {"catalog/products/a.yaml": "v: 2\n"}, "two")
    git(repo, "tag", "-a", "v2", "-m", "release 2")
    return repo, c1, c2


@pytest.mark.parametrize("rev, expected", [
    ("HEAD", "c2"), ("main", "c2"), ("HEAD~0", "c2"), ("refs/heads/main", "c2"),
    ("HEAD~1", "c1"), ("HEAD~", "c1"), ("HEAD^", "c1"), ("main^1", "c1"),
    ("feature", "c1"), ("refs/heads/feature", "c1"), ("heads/feature", "c1"),
    ("light", "c1"), ("v1", "c1"), ("refs/tags/v2", "c2"), ("v2^0", "c2"), ("v2~1", "c1"),
])
def test_resolves_names_to_commits(history: tuple[Path, str, str], rev: str,
                                   expected: str) -> None:
    repo, c1, c2 = history
    assert resolve_revision(repo, rev) == {"c1": c1, "c2": c2}[expected]


def test_annotated_tag_is_peeled_to_its_commit(history: tuple[Path, str, str]) -> None:
    repo, c1, _ = history
    tag_object = git(repo, "rev-parse", "v1")
    assert tag_object != c1  # v1 is a tag object of its own ...
    assert resolve_revision(repo, "v1") == c1  # ... that names c1
    assert resolve_revision(repo, tag_object) == c1


def test_full_and_abbreviated_shas(history: tuple[Path, str, str]) -> None:
    repo, c1, c2 = history
    assert resolve_revision(repo, c1) == c1
    assert resolve_revision(repo, c1.upper()) == c1
    assert resolve_revision(repo, c1[:10]) == c1
    assert resolve_revision(repo, c2[:7] + "~1") == c1
    with pytest.raises(MonopsError, match="no branch, tag or commit by that name"):
        resolve_revision(repo, c1[:6])  # under 7 digits a hex string is only a name


def test_a_tag_wins_over_a_branch_of_the_same_name_as_in_git(
        history: tuple[Path, str, str]) -> None:
    repo, c1, c2 = history
    git(repo, "tag", "dup", c1)
    git(repo, "branch", "dup", c2)
    assert resolve_revision(repo, "dup") == c1
    assert resolve_revision(repo, "heads/dup") == c2


def test_a_name_for_a_tree_or_blob_is_not_a_commit(history: tuple[Path, str, str]) -> None:
    repo, c1, _ = history
    tree = git(repo, "rev-parse", f"{c1}^{{tree}}")
    blob = git(repo, "rev-parse", f"{c1}:catalog/products/a.yaml")
    git(repo, "tag", "-a", "treetag", "-m", "a tree", tree)
    with pytest.raises(MonopsError, match="names a tree, not a commit"):
        resolve_revision(repo, "treetag")
    with pytest.raises(MonopsError, match="names a blob, not a commit"):
        resolve_revision(repo, blob)


def test_ancestry_beyond_the_root_and_merge_parents(history: tuple[Path, str, str]) -> None:
    repo, c1, c2 = history
    with pytest.raises(MonopsError, match=f"commit {c1[:12]} has no parent"):
        resolve_revision(repo, "HEAD~2")
    git(repo, "checkout", "-q", "feature")
    side = commit(repo, {"catalog/products/b.yaml": "v: 1\n"}, "side")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge", "feature")
    assert resolve_revision(repo, "HEAD^1") == c2
    assert resolve_revision(repo, "HEAD^2") == side
    assert resolve_revision(repo, "HEAD^2~1") == c1
    with pytest.raises(MonopsError, match="has only 2 parents"):
        resolve_revision(repo, "HEAD^3")


def test_missing_names_without_a_remote(history: tuple[Path, str, str]) -> None:
    repo, _, _ = history
    with pytest.raises(MonopsError) as caught:
        resolve_revision(repo, "nope")
    assert str(caught.value) == ("revision 'nope': no branch, tag or commit by that name "
                                 "(and the repository has no remote to fetch it from)")
    absent = "1234567890" * 4
    with pytest.raises(MonopsError, match=f"commit {absent} is not in this repository"):
        resolve_revision(repo, absent)
    with pytest.raises(MonopsError, match="give its full SHA"):
        resolve_revision(repo, "abcdef0")


def test_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    with pytest.raises(MonopsError, match="is not inside a git repository"):
        resolve_revision(tmp_path / "plain", "HEAD")
    with pytest.raises(MonopsError, match="is not inside a git repository"):
        find_repository(tmp_path / "plain")
    with pytest.raises(MonopsError, match="no such folder"):
        find_repository(tmp_path / "missing")


def test_empty_repository_has_no_head(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    with pytest.raises(MonopsError, match="HEAD names no commit here"):
        resolve_revision(repo, "HEAD")


# --- fetching what is missing ---------------------------------------------------------------

@pytest.fixture
def origin(tmp_path: Path) -> tuple[Path, list[str], str]:
    """An origin with main: c0 -> c1 -> c2, and `feature` (one commit on c1)."""
    repo = make_repo(tmp_path / "origin")
    shas = [commit(repo, {"monops.yaml": "paths: [catalog]\n",
                          "catalog/products/a.yaml": f"v: {n}\n"}, f"c{n}") for n in range(3)]
    git(repo, "checkout", "-q", "-b", "feature", shas[1])
    feature = commit(repo, {"catalog/products/b.yaml": "v: 9\n"}, "feature")
    git(repo, "checkout", "-q", "main")
    return repo, shas, feature


def shallow_clone(origin: Path, where: Path) -> Path:
    git(origin.parent, "clone", "-q", "--depth=1", f"file://{origin}", str(where))
    assert (where / ".git" / "shallow").exists()
    return where


def test_shallow_clone_missing_base_sha_is_fixed_by_the_quoted_fetch(
        origin: tuple[Path, list[str], str], tmp_path: Path) -> None:
    origin_repo, (_, c1, _), _ = origin
    clone = shallow_clone(origin_repo, tmp_path / "clone")
    with pytest.raises(MonopsError) as caught:
        resolve_revision(clone, c1)
    message = str(caught.value)
    assert "\n" not in message
    assert message == (f"revision '{c1}': commit {c1} is not in this shallow clone; "
                       f"fetch it with `git fetch --no-tags --depth=1 origin {c1}`")
    subprocess.run(fetch_command(message), cwd=clone, check=True, capture_output=True)
    assert resolve_revision(clone, c1) == c1
    with GitTree(clone, c1) as tree:
        assert tree.read("catalog/products/a.yaml") == b"v: 1\n"


def test_shallow_clone_ancestry_fetches_the_depth_it_needs(
        origin: tuple[Path, list[str], str], tmp_path: Path) -> None:
    origin_repo, (c0, c1, _), _ = origin
    clone = shallow_clone(origin_repo, tmp_path / "clone")
    # HEAD is c2; its parent c1 is the first missing commit, and from c1 one more
    # link is needed to reach c0: fetch c1 with depth 2.
    with pytest.raises(MonopsError) as caught:
        resolve_revision(clone, "HEAD~2")
    assert f"`git fetch --no-tags --depth=2 origin {c1}`" in str(caught.value)
    subprocess.run(fetch_command(str(caught.value)), cwd=clone, check=True, capture_output=True)
    assert resolve_revision(clone, "HEAD~2") == c0
    assert resolve_revision(clone, "HEAD~1") == c1


@pytest.mark.parametrize("rev, refspec", [
    ("origin/feature", "refs/heads/feature:refs/remotes/origin/feature"),
    ("refs/remotes/origin/feature", "refs/heads/feature:refs/remotes/origin/feature"),
    ("feature", "refs/heads/feature:refs/heads/feature"),
    ("refs/heads/feature", "refs/heads/feature:refs/heads/feature"),
])
def test_shallow_clone_unfetched_branch(origin: tuple[Path, list[str], str], tmp_path: Path,
                                        rev: str, refspec: str) -> None:
    origin_repo, _, feature = origin
    clone = shallow_clone(origin_repo, tmp_path / "clone")  # --depth implies one branch
    with pytest.raises(MonopsError) as caught:
        resolve_revision(clone, rev)
    assert "shallow clone" in str(caught.value)
    assert f"`git fetch --no-tags --depth=1 origin {refspec}`" in str(caught.value)
    subprocess.run(fetch_command(str(caught.value)), cwd=clone, check=True, capture_output=True)
    assert resolve_revision(clone, rev) == feature


def test_full_clone_unfetched_branch_has_no_depth_option(
        origin: tuple[Path, list[str], str], tmp_path: Path) -> None:
    origin_repo, shas, _ = origin
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"file://{origin_repo}", str(clone))
    git(origin_repo, "branch", "late", shas[0])  # made after the clone
    with pytest.raises(MonopsError) as caught:
        resolve_revision(clone, "origin/late")
    assert str(caught.value) == (
        "revision 'origin/late': no branch, tag or commit by that name; fetch it with "
        "`git fetch --no-tags origin refs/heads/late:refs/remotes/origin/late`")
    subprocess.run(fetch_command(str(caught.value)), cwd=clone, check=True, capture_output=True)
    assert resolve_revision(clone, "origin/late") == shas[0]
    assert not (clone / ".git" / "shallow").exists()


# --- reading a tree ---------------------------------------------------------------------------

def test_reads_the_revision_not_the_dirty_working_tree(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    c1 = commit(repo, {"monops.yaml": "paths: [catalog]\n",
                       "catalog/products/a.yaml": "a: committed\n",
                       "catalog/products/b.yaml": "b: committed\n"})
    (repo / "catalog/products/a.yaml").write_text("a: edited, not staged\n")
    (repo / "catalog/products/b.yaml").write_text("b: staged\n")
    git(repo, "add", "catalog/products/b.yaml")
    (repo / "catalog/products/new.yaml").write_text("new: untracked\n")
    before = snapshot(repo)
    assert before[0] == (" M catalog/products/a.yaml\n"
                         "M  catalog/products/b.yaml\n"
                         "?? catalog/products/new.yaml\n")

    with GitTree(repo, c1, repo) as tree:
        assert tree.list_files(["catalog"]) == ["catalog/products/a.yaml",
                                                "catalog/products/b.yaml"]
        assert tree.read("catalog/products/a.yaml") == b"a: committed\n"
        assert tree.read("catalog/products/b.yaml") == b"b: committed\n"
        assert tree.read_optional("monops.yaml") == b"paths: [catalog]\n"
        assert tree.read_optional("catalog/products/new.yaml") is None
    assert snapshot(repo) == before
    assert git(repo, "rev-parse", "HEAD") == c1


def test_read_many_reads_every_file_in_one_pass(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    files = {f"catalog/p{i}.yaml": f"id: p{i}\n" + "x" * i + "\n" for i in range(50)}
    files["catalog/empty.yaml"] = ""
    files["catalog/odd.yaml/inner.yml"] = "i: 1\n"
    sha = commit(repo, files)
    (repo / "catalog/p3.yaml").write_text("not committed\n")
    with GitTree(repo, sha) as tree:
        paths = tree.list_files(["catalog"])
        assert len(paths) == 52
        assert tree.read_many(paths) == [files[p].encode() for p in paths]
        assert tree.read_many([]) == []
        with pytest.raises(MonopsError, match=r"catalog/odd\.yaml is a folder"):
            tree.read_many(["catalog/p1.yaml", "catalog/odd.yaml"])
        with pytest.raises(MonopsError, match=r"catalog/nope\.yaml: no such file"):
            tree.read_many(["catalog/nope.yaml"])


def test_read_many_gives_the_size_of_a_blob_over_the_limit_instead_of_its_bytes(
        tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    sha = commit(repo, {"catalog/a.yaml": "a: 1\n", "catalog/b.yaml": "bb: 22\n",
                        "catalog/c.yaml": "c: 3\n"})  # 5, 7 and 5 bytes
    with GitTree(repo, sha) as tree:
        paths = tree.list_files(["catalog"])
        found = tree.read_many(paths, max_bytes=6)
        assert found == [b"a: 1\n", b"", b"c: 3\n"]
        assert isinstance(found[1], Oversized) and found[1].size == 7
        assert tree.read_many(paths, max_bytes=7) == [b"a: 1\n", b"bb: 22\n", b"c: 3\n"]


def test_read_many_names_the_file_whose_object_is_missing(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    sha = commit(repo, {"catalog/a.yaml": "a: 1\n", "catalog/b.yaml": "b: 2\n"})
    blob = git(repo, "rev-parse", f"{sha}:catalog/b.yaml")
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()  # as in a broken clone
    missing = rf"catalog/b\.yaml: object {blob} is missing"
    with GitTree(repo, sha) as tree, pytest.raises(MonopsError, match=missing):
        tree.read_many(["catalog/a.yaml", "catalog/b.yaml"])


def test_catalog_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    sha = commit(repo, {
        "shop/monops.yaml": "paths: [catalog, pricing]\n",
        "shop/catalog/products/a.yaml": "a: 1\n",
        "shop/catalog/products/notes.txt": "not a catalog file\n",
        "shop/catalog/channels/web.yml": "c: 1\n",
        "shop/templates/invoice.md.j2": "{{ total }}\n",
        "other/catalog/products/x.yaml": "outside the catalog root\n",
        "catalog/products/top.yaml": "outside the catalog root\n",
    })
    shop = repo / "shop"
    with GitTree(repo, sha, shop) as tree:
        assert tree.prefix == "shop"
        assert tree.list_files(["catalog", "pricing"]) == ["catalog/channels/web.yml",
                                                           "catalog/products/a.yaml"]
        assert tree.list_files(["catalog/products/a.yaml"]) == ["catalog/products/a.yaml"]
        assert tree.list_files(["."]) == ["catalog/channels/web.yml", "catalog/products/a.yaml",
                                          "monops.yaml"]
        assert tree.read_optional("monops.yaml") == b"paths: [catalog, pricing]\n"
        assert tree.read_optional("templates/invoice.md.j2") == b"{{ total }}\n"
        assert tree.read_optional("templates/invoice.html.j2") is None
        with pytest.raises(MonopsError, match=r"catalog/nope\.yaml: no such file at commit"):
            tree.read("catalog/nope.yaml")
        with pytest.raises(MonopsError, match="leaves the catalog root"):
            tree.read("../catalog/products/top.yaml")
        with pytest.raises(MonopsError, match="leaves the catalog root"):
            tree.list_files(["../other"])
    assert find_repository(shop) == repo.resolve()
    with GitTree.at(shop, "HEAD") as tree:
        assert tree.sha == sha
        assert tree.read("catalog/products/a.yaml") == b"a: 1\n"


def test_catalog_root_absent_at_the_revision(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    sha = commit(repo, {"README": "before the catalog existed\n"})
    (repo / "shop").mkdir()
    with GitTree(repo, sha, repo / "shop") as tree:
        assert tree.list_files(["catalog"]) == []
        assert tree.read_optional("monops.yaml") is None


def test_a_folder_named_like_a_yaml_file_is_a_folder(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    sha = commit(repo, {"catalog/odd.yaml/inner.yml": "i: 1\n"})
    with GitTree(repo, sha) as tree:
        assert tree.list_files(["catalog"]) == ["catalog/odd.yaml/inner.yml"]
        with pytest.raises(MonopsError, match=r"catalog/odd\.yaml is a folder"):
            tree.read("catalog/odd.yaml")


def test_needs_a_full_commit_sha(history: tuple[Path, str, str]) -> None:
    repo, c1, _ = history
    with pytest.raises(MonopsError, match="not a full commit SHA"):
        GitTree(repo, "HEAD")
    with pytest.raises(MonopsError, match="not a full commit SHA"):
        GitTree(repo, c1[:12])
    tree = git(repo, "rev-parse", f"{c1}^{{tree}}")
    with pytest.raises(MonopsError, match="no such commit"):
        GitTree(repo, tree)


@pytest.fixture
def streamed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SHAs of every object whose content GitPython reads."""
    seen: list[str] = []
    original = gitpython.db.GitCmdObjectDB.stream

    def stream(self: gitpython.db.GitCmdObjectDB, binsha: bytes) -> object:
        seen.append(binsha.hex())
        return original(self, binsha)

    monkeypatch.setattr(gitpython.db.GitCmdObjectDB, "stream", stream)
    return seen


def test_symlinked_file_is_refused_and_never_read(tmp_path: Path, streamed: list[str]) -> None:
    repo = make_repo(tmp_path / "repo")
    commit(repo, {"catalog/products/a.yaml": "a: 1\n"})
    (repo / "catalog/products/evil.yaml").symlink_to("/etc/passwd")
    sha = commit(repo, {})
    link_blob = git(repo, "rev-parse", f"{sha}:catalog/products/evil.yaml")
    assert git(repo, "cat-file", "-p", link_blob) == "/etc/passwd"  # a link, as committed
    with GitTree(repo, sha) as tree:
        for call in (lambda: tree.list_files(["catalog"]),
                     lambda: tree.read("catalog/products/evil.yaml"),
                     lambda: tree.read_optional("catalog/products/evil.yaml")):
            with pytest.raises(MonopsError) as caught:
                call()
            assert str(caught.value).startswith("catalog/products/evil.yaml is a symlink")
    assert streamed  # trees were read ...
    assert link_blob not in streamed  # ... the link's target text never was


def test_symlinked_folder_and_config_are_refused(tmp_path: Path, streamed: list[str]) -> None:
    repo = make_repo(tmp_path / "repo")
    commit(repo, {"elsewhere/p.yaml": "p: 1\n", "catalog/products/a.yaml": "a: 1\n",
                  "docs/readme.txt": "hi\n"})
    (repo / "catalog/plans").symlink_to("../elsewhere")
    (repo / "pricing").symlink_to("catalog")
    (repo / "monops.yaml").symlink_to("/etc/passwd")
    (repo / "docs/link").symlink_to("/etc/passwd")
    sha = commit(repo, {})
    with GitTree(repo, sha) as tree:
        with pytest.raises(MonopsError, match=r"^catalog/plans is a symlink"):
            tree.list_files(["catalog"])
        with pytest.raises(MonopsError, match=r"^catalog/plans is a symlink"):
            tree.read("catalog/plans/p.yaml")
        with pytest.raises(MonopsError, match=r"^pricing is a symlink"):
            tree.list_files(["pricing"])
        with pytest.raises(MonopsError, match=r"^monops\.yaml is a symlink"):
            tree.read_optional("monops.yaml")
        # Links outside the listed folders (docs/link, catalog/plans) are never looked at.
        assert tree.list_files(["elsewhere", "catalog/products"]) == [
            "catalog/products/a.yaml", "elsewhere/p.yaml"]
    links = {git(repo, "rev-parse", f"{sha}:{name}")
             for name in ("catalog/plans", "pricing", "monops.yaml", "docs/link")}
    assert not links & set(streamed)


def test_submodule_is_refused(tmp_path: Path, streamed: list[str]) -> None:
    repo = make_repo(tmp_path / "repo")
    first = commit(repo, {"catalog/products/a.yaml": "a: 1\n"})
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{first},catalog/vendor")
    git(repo, "commit", "-q", "-m", "a submodule")
    sha = git(repo, "rev-parse", "HEAD")
    assert git(repo, "ls-tree", sha, "catalog/vendor").startswith("160000 commit")
    with GitTree(repo, sha) as tree:
        with pytest.raises(MonopsError, match=r"^catalog/vendor is a submodule"):
            tree.list_files(["catalog"])
        with pytest.raises(MonopsError, match=r"^catalog/vendor is a submodule"):
            tree.read("catalog/vendor/products/a.yaml")
        assert tree.list_files(["catalog/products"]) == ["catalog/products/a.yaml"]
    assert first not in streamed  # the submodule's commit is never opened


# --- what changed ------------------------------------------------------------------------------

@pytest.fixture
def shop_repo(tmp_path: Path) -> tuple[Path, str]:
    repo = make_repo(tmp_path / "repo")
    base = commit(repo, {
        "shop/monops.yaml": "paths: [catalog]\n",
        "shop/.gitignore": "*.tmp\n",
        "shop/catalog/products/a.yaml": "a: 1\nlong: enough to be found as a rename\n",
        "shop/catalog/products/b.yaml": "b: 1\n",
        "shop/catalog/products/e.yaml": "e: 1\n",
        "shop/catalog/products/keep.yaml": "keep: 1\n",
        "other/x.yaml": "x: 1\n",
    })
    return repo, base


def test_changed_files_between_commits_reports_renames_both_ways(
        shop_repo: tuple[Path, str]) -> None:
    repo, base = shop_repo
    git(repo, "mv", "shop/catalog/products/a.yaml", "shop/catalog/products/c.yaml")
    head = commit(repo, {"shop/catalog/products/b.yaml": "b: 2\n",
                         "shop/catalog/products/d.yaml": "d: 1\n",
                         "shop/catalog/products/e.yaml": None,
                         "other/x.yaml": "x: 2\n"})
    # git itself sees a rename, so the case is the one we mean to test.
    assert ("R100\tshop/catalog/products/a.yaml\tshop/catalog/products/c.yaml"
            in git(repo, "diff", "--name-status", "-M", base, head))
    assert changed_files(repo, base, head, repo / "shop") == {
        "catalog/products/a.yaml", "catalog/products/c.yaml",  # the rename, both paths
        "catalog/products/b.yaml",  # modified
        "catalog/products/d.yaml",  # added
        "catalog/products/e.yaml",  # deleted
    }
    assert changed_files(repo, base, head, repo) == {
        "shop/catalog/products/a.yaml", "shop/catalog/products/c.yaml",
        "shop/catalog/products/b.yaml", "shop/catalog/products/d.yaml",
        "shop/catalog/products/e.yaml", "other/x.yaml",
    }
    assert changed_files(repo, base, base, repo / "shop") == set()


def test_changed_files_against_the_working_tree(shop_repo: tuple[Path, str]) -> None:
    repo, base = shop_repo
    products = repo / "shop/catalog/products"
    (products / "a.yaml").write_text("a: edited, not staged\n")
    git(repo, "mv", "shop/catalog/products/b.yaml", "shop/catalog/products/renamed.yaml")
    (products / "e.yaml").unlink()
    (products / "d.yaml").write_text("d: untracked\n")
    (products / "f.yaml").write_text("f: staged\n")
    git(repo, "add", "shop/catalog/products/f.yaml")
    (products / "scratch.tmp").write_text("ignored\n")
    (repo / "other/x.yaml").write_text("x: outside the catalog root\n")
    before = snapshot(repo)

    assert changed_files(repo, base, None, repo / "shop") == {
        "catalog/products/a.yaml",  # modified, unstaged
        "catalog/products/b.yaml", "catalog/products/renamed.yaml",  # staged rename
        "catalog/products/e.yaml",  # deleted from disk
        "catalog/products/d.yaml",  # untracked
        "catalog/products/f.yaml",  # staged new file
    }
    assert snapshot(repo) == before


def test_changed_files_wants_full_shas(shop_repo: tuple[Path, str]) -> None:
    repo, base = shop_repo
    with pytest.raises(MonopsError, match="not a full commit SHA"):
        changed_files(repo, "HEAD", None, repo)
    with pytest.raises(MonopsError, match="not a full commit SHA"):
        changed_files(repo, base, base[:8], repo)


def git_changes(repo: Path, base: str, prefix: str) -> set[str]:
    """What git itself says changed against ``base`` under ``prefix``: `git diff BASE` and
    the untracked files that are not ignored (monops asked git exactly this before it
    compared files itself). `git diff` may refresh the index: call it after monops."""
    names = git(repo, "diff", "--no-renames", "--name-only", "-z", base, "--", strip=False)
    names += git(repo, "ls-files", "--others", "--exclude-standard", "-z", strip=False)
    lead = f"{prefix}/"
    return {name[len(lead):] for name in names.split("\0") if name.startswith(lead)}


def test_changed_files_against_the_working_tree_agrees_with_git(
        shop_repo: tuple[Path, str]) -> None:
    repo, _ = shop_repo
    products = repo / "shop/catalog/products"
    (repo / "shop/elsewhere").mkdir()
    (repo / "shop/elsewhere/p.yaml").write_text("p: 1\n")
    (products / "link.yaml").symlink_to("keep.yaml")
    base = commit(repo, {"shop/catalog/plans/p.yaml": "p: 1\n",
                         "shop/catalog/products/skip.yaml": "skip: 1\n",
                         "shop/catalog/products/assumed.yaml": "assumed: 1\n"})
    # Rewritten with the same bytes (stat data changes, content does not): no change.
    (products / "keep.yaml").write_text("keep: 1\n")
    # Staged, then put back as it was in the working tree: no change.
    (products / "b.yaml").write_text("b: staged\n")
    git(repo, "add", "shop/catalog/products/b.yaml")
    (products / "b.yaml").write_text("b: 1\n")
    # Taken out of the index, left on disk and ignored: git counts it deleted.
    with (repo / "shop/.gitignore").open("a") as ignore:
        ignore.write("e.yaml\n")
    git(repo, "rm", "-q", "--cached", "shop/catalog/products/e.yaml")
    # A file replaced by a symlink, a symlink pointed elsewhere, and a folder replaced by a
    # symlink to a copy of it (git does not look past a symlink: its file is deleted).
    (products / "a.yaml").unlink()
    (products / "a.yaml").symlink_to("keep.yaml")
    (products / "link.yaml").unlink()
    (products / "link.yaml").symlink_to("b.yaml")
    plans = repo / "shop/catalog/plans"
    (plans / "p.yaml").unlink()
    plans.rmdir()
    plans.symlink_to("../elsewhere")
    # Skip-worktree and assume-unchanged: git trusts the index, whatever the disk says.
    git(repo, "update-index", "--skip-worktree", "shop/catalog/products/skip.yaml")
    (products / "skip.yaml").unlink()
    git(repo, "update-index", "--assume-unchanged", "shop/catalog/products/assumed.yaml")
    (products / "assumed.yaml").write_text("assumed: 2\n")

    found = changed_files(repo, base, None, repo / "shop")
    assert found == {".gitignore", "catalog/products/e.yaml", "catalog/products/a.yaml",
                     "catalog/products/link.yaml", "catalog/plans/p.yaml", "catalog/plans"}
    assert found == git_changes(repo, base, "shop")


@pytest.mark.parametrize("folders", [["."], ["catalog", "."], [".", "catalog/"]])
def test_the_root_as_a_path_names_each_file_once_as_git_does(tmp_path: Path,
                                                             folders: list[str]) -> None:
    # `paths: [.]` listed the working tree as ./catalog/a.yaml beside catalog/a.yaml: one
    # file read twice (duplicate ids) and a file named on the command line never matched.
    repo = make_repo(tmp_path / "repo")
    sha = commit(repo, {"monops.yaml": "paths: [.]\n", "catalog/a.yaml": "a: 1\n",
                        "top.yml": "t: 1\n"})
    expected = ["monops.yaml", "top.yml", "catalog/a.yaml"]
    with GitTree(repo, sha) as tree:
        at_commit = tree.list_files(folders)
    working = WorkingTree(repo).list_files(folders)
    assert sorted(working) == sorted(at_commit) == sorted(expected)


def test_a_second_revision_reads_only_the_objects_the_first_did_not(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both sides of a diff share ``KnownObjects``: the second side asks git only for the
    blobs the change made, and still sizes a held blob against its own limit."""
    from monops_lint.source.gitrev.objects import GitObjects, KnownObjects

    repo = make_repo(tmp_path / "repo")
    base = commit(repo, {"catalog/a.yaml": "a: 1\n", "catalog/b.yaml": "b: " + "x" * 40 + "\n",
                         "catalog/c.yaml": "c: 1\n"})
    head = commit(repo, {"catalog/c.yaml": "c: 2\n"})
    asked: list[list[str]] = []
    real = GitObjects._batch

    def counted(self: GitObjects, option: str, shas: list[str]) -> object:
        if option == "--batch":
            asked.append(list(shas))
        return real(self, option, shas)

    monkeypatch.setattr(GitObjects, "_batch", counted)
    known = KnownObjects()
    paths = ["catalog/a.yaml", "catalog/b.yaml", "catalog/c.yaml"]
    with GitTree(repo, base, known=known) as tree:
        before = tree.read_many(paths, max_bytes=1000)
    with GitTree(repo, head, known=known) as tree:
        after = tree.read_many(paths, max_bytes=1000)
    with GitTree(repo, head, known=known) as tree:
        stricter = tree.read_many(paths, max_bytes=20)  # b.yaml is 44 bytes
    assert before == [b"a: 1\n", b"b: " + b"x" * 40 + b"\n", b"c: 1\n"]
    assert after == [b"a: 1\n", b"b: " + b"x" * 40 + b"\n", b"c: 2\n"]
    assert [len(shas) for shas in asked] == [3, 1, 0]  # the head's c.yaml only, then none
    assert stricter[0] == b"a: 1\n" and stricter[2] == b"c: 2\n"
    assert isinstance(stricter[1], Oversized) and stricter[1].size == 44
