"""Every relative link of the repository's Markdown resolves: the file exists, the #anchor is a heading.

The README is one page that links into docs/; the docs link to each other, to bench/README.md and
back. A page renamed, a heading reworded or a section moved would leave a link pointing nowhere.
The scan reads every Markdown file of the repository (README.md, docs/*.md, bench/*.md, the
models' doc blocks, runner/simulator/README.md), finds each inline link and image, ``[text](target)``
outside code blocks and code spans, and fails, naming file:line and the target, when:

- the target file (relative to the linking file) does not exist, or lies outside the repository;
- the ``#anchor`` is not the GitHub anchor of a heading of the target Markdown file (or of the
  linking file itself, for ``#anchor`` alone), or is set on a file that is not Markdown.

Links with a scheme (``https:``, ``mailto:``) are not followed. The README must also link every
page of docs/, so a new page cannot be left out of its Documentation list.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runner.tests.test_doc_citations import PROJECT_DIR, SKIPPED_DIRS, Doc, github_slug

# [text](target) or ![alt](target), with an optional "title"; the text may run over a line break
_LINK = re.compile(r"!?\[(?P<text>[^\]]*)\]\(\s*(?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


@dataclass(frozen=True)
class Link:
    path: str
    line: int
    target: str
    problem: str | None


def _outside_code(text: str) -> str:
    """The text with fenced blocks blanked and code spans emptied, line numbers kept."""
    lines, in_fence = [], False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            lines.append("")
        else:
            lines.append("" if in_fence else _CODE_SPAN.sub("``", line))
    return "\n".join(lines)


def _anchors(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        cache[path] = Doc.parse(path.stem, path.read_text(encoding="utf-8")).anchors
    return cache[path]


def find_links(text: str, source: Path, root: Path, cache: dict[Path, set[str]] | None = None) -> list[Link]:
    """Every relative link of ``text`` (the content of ``source``), each with what does not resolve."""
    cache = {} if cache is None else cache
    root = root.resolve()
    found = []
    scanned = _outside_code(text)
    for m in _LINK.finditer(scanned):
        target = m["target"]
        if _SCHEME.match(target):
            continue
        file_part, _, anchor = target.partition("#")
        resolved = (source.parent / file_part).resolve() if file_part else source.resolve()
        problem = None
        if resolved != root and root not in resolved.parents:
            problem = "points outside the repository"
        elif not resolved.exists():
            problem = f"{file_part} does not exist"
        elif anchor:
            if resolved.suffix != ".md" or not resolved.is_file():
                problem = f"#{anchor} on {file_part}, which is not a Markdown file"
            elif anchor not in _anchors(resolved, cache):
                problem = f"{resolved.relative_to(root)} has no heading with the anchor #{anchor}"
        rel = source.resolve().relative_to(root) if root in source.resolve().parents else source
        found.append(Link(str(rel), scanned.count("\n", 0, m.start()) + 1, target, problem))
    return found


def markdown_files(root: Path = PROJECT_DIR) -> list[Path]:
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info"))
        files.extend(Path(folder) / name for name in sorted(names) if name.endswith(".md"))
    return files


def scan(root: Path = PROJECT_DIR) -> list[Link]:
    cache: dict[Path, set[str]] = {}
    links = []
    for path in markdown_files(root):
        links.extend(find_links(path.read_text(encoding="utf-8"), path, root, cache))
    return links


# ------------------------------------------------------------------------------------- the scan
@pytest.fixture(scope="module")
def links() -> list[Link]:
    return scan()


def test_every_relative_link_resolves(links):
    bad = [f"{link.path}:{link.line}: ({link.target}): {link.problem}" for link in links if link.problem]
    assert not bad, f"{len(bad)} link(s) do not resolve:\n" + "\n".join(bad)


def test_the_scan_reads_the_readme_the_docs_and_the_bench(links):
    """Not vacuous: the pages that link most are read, and links with anchors are among them."""
    by_file = {link.path for link in links}
    assert {"README.md", "bench/README.md", "docs/validate.md", "docs/runner.md"} <= by_file, sorted(by_file)
    assert sum("#" in link.target for link in links) >= 10


def test_the_readme_links_every_page_of_docs():
    linked = {(PROJECT_DIR / link.target.partition("#")[0]).resolve()
              for link in find_links((PROJECT_DIR / "README.md").read_text(encoding="utf-8"),
                                     PROJECT_DIR / "README.md", PROJECT_DIR)}
    pages = sorted((PROJECT_DIR / "docs").glob("*.md"))
    assert len(pages) >= 8, pages
    missing = [p.name for p in pages if p.resolve() not in linked]
    assert not missing, f"README.md's Documentation list lacks {missing}"


# ------------------------------------------------------------------------- the parser can fail
def _tree(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text("# Page\n\n## The CLI: options (and codes)\n\n## Twice\n\n## Twice\n")
    (tmp_path / "docs" / "img.png").write_bytes(b"\x89PNG")
    return tmp_path


def _problems(text: str, root: Path) -> list[tuple[int, str, str | None]]:
    (root / "README.md").write_text(text)
    return [(link.line, link.target, link.problem) for link in find_links(text, root / "README.md", root)]


def test_broken_files_and_anchors_are_reported_with_their_line(tmp_path):
    root = _tree(tmp_path)
    text = ("# Top\n"
            "[ok](docs/page.md#the-cli-options-and-codes) and ![img](docs/img.png)\n"
            "[gone](docs/nope.md) [bad anchor](docs/page.md#the-cli)\n"
            "[own heading](#top), [no such](#bottom), [second twice](docs/page.md#twice-1)\n"
            "[anchor on an image](docs/img.png#x) [out](../elsewhere.md) [web](https://example.com/x.md)\n"
            "[over a\nline break](docs/missing.md)\n")
    assert _problems(text, root) == [
        (2, "docs/page.md#the-cli-options-and-codes", None),
        (2, "docs/img.png", None),
        (3, "docs/nope.md", "docs/nope.md does not exist"),
        (3, "docs/page.md#the-cli", "docs/page.md has no heading with the anchor #the-cli"),
        (4, "#top", None),
        (4, "#bottom", "README.md has no heading with the anchor #bottom"),
        (4, "docs/page.md#twice-1", None),
        (5, "docs/img.png#x", "#x on docs/img.png, which is not a Markdown file"),
        (5, "../elsewhere.md", "points outside the repository"),
        (6, "docs/missing.md", "docs/missing.md does not exist"),
    ]


def test_links_in_code_are_not_links(tmp_path):
    root = _tree(tmp_path)
    text = "```\n[a](docs/nope.md)\n```\n`[b](docs/nope.md)` and ``[c](x.md)``\n[d](docs/nope.md)\n"
    assert _problems(text, root) == [(5, "docs/nope.md", "docs/nope.md does not exist")]


# ------------------------------------------------------------------------------ property tests
_words = st.lists(st.text(alphabet="abcxyz019_-:,.()'", min_size=1, max_size=8), min_size=1, max_size=5)


@settings(max_examples=100, deadline=None)
@given(titles=st.lists(_words.map(" ".join), min_size=1, max_size=5),
       asked=_words.map(" ".join).filter(github_slug),
       exists=st.booleans(), lines_before=st.integers(0, 5))
def test_a_link_resolves_exactly_when_its_file_and_heading_exist(tmp_path_factory, titles, asked,
                                                                 exists, lines_before):
    root = tmp_path_factory.mktemp("links")
    page = "".join(f"## {t}\n\ntext\n\n" for t in titles)
    if exists:
        (root / "page.md").write_text(page)
    anchor = github_slug(asked)
    text = "x\n" * lines_before + f"see [it](page.md#{anchor})\n"
    ((line, target, problem),) = _problems(text, root)
    assert (line, target) == (lines_before + 1, f"page.md#{anchor}")
    slugs = Doc.parse("page", page).anchors
    assert (problem is None) == (exists and anchor in slugs), (problem, slugs)
