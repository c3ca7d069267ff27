"""Every citation of docs/domain.md and docs/decisions.md resolves inside the repository.

Models, macros, tests, the runner and the docs cite the project's two reference pages:
``domain.md §2.3``, ``domain.md §3.1-3.4``, ``domain.md §3 "completeness checker"``,
``decisions.md fix 6``, ``decisions.md fixes 2, 5, 6``, ``decisions.md, fixed quirk 8``,
``decisions.md "Kept exactly"``, Markdown links such as ``decisions.md#backfill-semantics``, or
the bare file name. A citation may run over a line break, with the comment marks of the next
line in between. The scan parses each one and fails, naming file:line and the citation, when:

- the section (a numbered heading of docs/domain.md), the fix (a ``Fix N`` heading of
  docs/decisions.md), the quoted heading or the link anchor does not exist;
- a quoted phrase after a domain.md section is not in that section;
- the file is cited through a path outside the repository (e.g. ``shared/docs/domain.md``).

It also keeps the numbering of the two pages sound: no section number twice in domain.md, and
the fixes of decisions.md numbered 1..N in order (a new fix takes the next number; a withdrawn
one keeps its heading), and ``§`` references inside domain.md resolve in domain.md.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st


def _project_dir() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "dbt_project.yml").is_file():
            return parent
    raise AssertionError(f"no dbt_project.yml above {here}")


PROJECT_DIR = _project_dir()
DOCS_DIR = PROJECT_DIR / "docs"
THIS_FILE = Path(__file__).resolve()

# What the scan reads: text files of the repository, not environments or build output.
SCANNED_SUFFIXES = {".sql", ".yml", ".yaml", ".md", ".py", ".txt", ".toml", ".cfg", ".sh", ".csv",
                    ".json", ".ini"}
SCANNED_NAMES = {"Makefile"}
SKIPPED_DIRS = {".git", ".venv", ".venv-emulator", "target", "logs", "dbt_packages", "__pycache__",
                ".pytest_cache", ".hypothesis", "reports", "node_modules", "out"}

# domain.md / decisions.md, with an optional path before it (only docs/ is inside the repository)
_CITE = re.compile(r"(?<![\w-])((?:[\w.-]+/)*)(domain|decisions)\.md\b")
# a line break inside a citation, with the next line's indentation and comment marks
_BREAK = re.compile(r"[ \t]*\r?\n[ \t]*(?:--|#|//|\*)?[ \t]*")
_SECTION = r"\d+(?:\.\d+)*"
_DOMAIN_SECTIONS = re.compile(
    rf"^(?:'s)?\s*,?\s*(?:§\s*|section\s+)(?P<first>{_SECTION})"
    rf"(?P<more>(?:\s*(?:-|–)\s*§?\s*{_SECTION}|\s*(?:,|and|or|/)\s*§\s*{_SECTION})*)"
    r'(?:\s*:?\s*"(?P<phrase>[A-Za-z][^"\n]*)")?'
)
_DECISIONS_FIXES = re.compile(
    r"^\s*[,:]?\s*(?:fix(?:es)?|fixed\s+quirks?|quirks?)\s+"
    r"(?P<numbers>\d+(?:\s*(?:,|and|&)\s*\d+)*)",
    re.IGNORECASE,
)
_QUOTED = re.compile(r'^\s*,?\s*"(?P<phrase>[A-Za-z][^"\n]*)"')
_ANCHOR = re.compile(r"^#(?P<anchor>[\w-]+)")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.+?)\s*#*\s*$")
_NUMBERED = re.compile(rf"^§?(?P<number>{_SECTION})\.?\s")
_FIX = re.compile(r"^Fix\s+(?P<number>\d+)\b")


def _plain(text: str) -> str:
    """Lower case, Markdown emphasis and code marks dropped, whitespace collapsed."""
    return " ".join(re.sub(r"[*`_]", " ", text).lower().split())


def github_slug(title: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


@dataclass(frozen=True)
class Heading:
    level: int
    title: str
    line: int


@dataclass
class Doc:
    """One reference page: its headings, numbered sections (with their text) and fixes."""

    name: str
    text: str
    headings: list[Heading]
    sections: dict[str, str]
    fixes: list[int]
    anchors: set[str]
    duplicate_sections: list[str]

    @classmethod
    def parse(cls, name: str, text: str) -> Doc:
        lines = text.splitlines()
        headings: list[Heading] = []
        in_code = False
        for i, line in enumerate(lines):
            if line.lstrip().startswith("```"):
                in_code = not in_code
                continue
            m = None if in_code else _HEADING.match(line)
            if m:
                headings.append(Heading(len(m["hashes"]), m["title"], i))
        sections: dict[str, str] = {}
        duplicates: list[str] = []
        fixes: list[int] = []
        anchors: set[str] = set()
        for k, h in enumerate(headings):
            slug = github_slug(h.title)
            n = 1
            while slug in anchors:  # GitHub suffixes repeated anchors with -1, -2, ...
                slug = f"{github_slug(h.title)}-{n}"
                n += 1
            anchors.add(slug)
            end = next((o.line for o in headings[k + 1:] if o.level <= h.level), len(lines))
            body = "\n".join(lines[h.line:end])
            numbered = _NUMBERED.match(h.title)
            if numbered:
                if numbered["number"] in sections:
                    duplicates.append(numbered["number"])
                sections[numbered["number"]] = body
            fix = _FIX.match(h.title)
            if fix:
                fixes.append(int(fix["number"]))
        return cls(name, text, headings, sections, fixes, anchors, duplicates)

    def has_heading(self, phrase: str) -> bool:
        wanted = _plain(phrase)
        return any(_plain(_NUMBERED.sub("", h.title)) == wanted or _plain(h.title) == wanted
                   for h in self.headings)


@dataclass(frozen=True)
class Citation:
    path: str
    line: int
    text: str
    problems: tuple[str, ...]


def load_docs(docs_dir: Path = DOCS_DIR) -> dict[str, Doc]:
    docs = {}
    for name in ("domain", "decisions"):
        path = docs_dir / f"{name}.md"
        assert path.is_file(), f"{path.relative_to(PROJECT_DIR)} is missing: every citation needs it"
        docs[name] = Doc.parse(name, path.read_text(encoding="utf-8"))
    return docs


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _range_ends(more: str) -> list[str]:
    return re.findall(_SECTION, more)


def find_citations(text: str, path: str, docs: dict[str, Doc]) -> list[Citation]:
    """Every citation of domain.md / decisions.md in ``text``, each with what does not resolve."""
    found = []
    for m in _CITE.finditer(text):
        prefix, name = m[1], m[2]
        tail = _BREAK.sub(" ", text[m.end():m.end() + 400]).lstrip("`'*)")
        doc = docs[name]
        problems: list[str] = []
        if prefix not in ("", "docs/", "./docs/"):
            problems.append(f"cites {prefix}{name}.md, outside the repository: cite docs/{name}.md")
        cited = f"{prefix}{name}.md"
        anchor = _ANCHOR.match(tail)
        if anchor:
            cited += anchor[0]
            if anchor["anchor"] not in doc.anchors:
                problems.append(f"{name}.md has no heading with the anchor #{anchor['anchor']}")
        elif name == "domain":
            sec = _DOMAIN_SECTIONS.match(tail)
            if sec:
                cited += " " + sec[0].strip(" ,")
                numbers = [sec["first"], *_range_ends(sec["more"] or "")]
                for number in numbers:
                    if number not in doc.sections:
                        problems.append(f"domain.md has no section §{number}")
                if (sec["phrase"] and sec["first"] in doc.sections
                        and _plain(sec["phrase"]) not in _plain(doc.sections[sec["first"]])):
                    problems.append(f'domain.md §{sec["first"]} does not mention "{sec["phrase"]}"')
            else:
                quoted = _QUOTED.match(tail)
                if quoted:
                    cited += f' "{quoted["phrase"]}"'
                    if _plain(quoted["phrase"]) not in _plain(doc.text):
                        problems.append(f'domain.md does not mention "{quoted["phrase"]}"')
        else:
            fixes = _DECISIONS_FIXES.match(tail)
            quoted = _QUOTED.match(tail)
            if fixes:
                cited += " " + fixes[0].strip(" ,:")
                for number in re.findall(r"\d+", fixes["numbers"]):
                    if int(number) not in doc.fixes:
                        problems.append(f"decisions.md has no heading 'Fix {number}'")
            elif quoted:
                cited += f' "{quoted["phrase"]}"'
                if not doc.has_heading(quoted["phrase"]):
                    problems.append(f'decisions.md has no heading "{quoted["phrase"]}"')
        found.append(Citation(path, _line_of(text, m.start()), cited, tuple(problems)))
    return found


def find_self_references(doc: Doc) -> list[Citation]:
    """Bare § references inside domain.md, which point at domain.md itself."""
    found = []
    for m in re.finditer(rf"(?<!domain\.md )§\s*(?P<number>{_SECTION})", doc.text):
        number = m["number"]
        problems = () if number in doc.sections else (f"domain.md has no section §{number}",)
        found.append(Citation(f"docs/{doc.name}.md", _line_of(doc.text, m.start()), m[0], problems))
    return found


def scanned_files(root: Path = PROJECT_DIR) -> list[Path]:
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info"))
        for name in sorted(names):
            path = Path(folder) / name
            if (path.suffix in SCANNED_SUFFIXES or name in SCANNED_NAMES) and path.resolve() != THIS_FILE:
                files.append(path)
    return files


def scan(root: Path = PROJECT_DIR) -> list[Citation]:
    docs = load_docs(root / "docs")
    citations = []
    for path in scanned_files(root):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "domain.md" in text or "decisions.md" in text:
            citations.extend(find_citations(text, str(path.relative_to(root)), docs))
    citations.extend(find_self_references(docs["domain"]))
    return citations


def _report(bad: list[Citation]) -> str:
    return "\n".join(f"{c.path}:{c.line}: {c.text!r}: {'; '.join(c.problems)}" for c in bad)


# ------------------------------------------------------------------------------------- the scan
@pytest.fixture(scope="module")
def docs() -> dict[str, Doc]:
    return load_docs()


@pytest.fixture(scope="module")
def citations() -> list[Citation]:
    return scan()


def test_every_citation_resolves_inside_the_repository(citations):
    bad = [c for c in citations if c.problems]
    assert not bad, f"{len(bad)} citation(s) do not resolve in docs/:\n{_report(bad)}"


def test_the_scan_reads_every_layer_that_cites(citations):
    """The scan is not vacuous: models, macros, dbt tests and the runner all cite the docs, with
    sections and fixes (a broken walker or pattern would find none)."""
    by_top = {Path(c.path).parts[0] for c in citations}
    assert {"models", "macros", "tests", "runner", "docs"} <= by_top, sorted(by_top)
    assert sum(" §" in c.text for c in citations) >= 50
    assert sum(" fix" in c.text for c in citations) >= 20


def test_domain_sections_are_numbered_once(docs):
    assert not docs["domain"].duplicate_sections, docs["domain"].duplicate_sections
    # the numbering the code has always cited (the production reference's)
    for number in ("0", "1", "1.5", "1.7", "2.1", "2.2", "2.3", "2.4", "2.5", "3", "3.1", "3.2",
                   "3.3", "3.4", "3.5", "4.1", "4.2", "4.3", "5.2", "7", "7.1", "8"):
        assert number in docs["domain"].sections, f"domain.md lost §{number}"


def test_fixes_are_numbered_one_to_n_in_order(docs):
    """A new fix takes the next number at the end; none is renumbered or reused."""
    fixes = docs["decisions"].fixes
    assert fixes == list(range(1, len(fixes) + 1)), fixes
    for heading in ("Scope", "Kept exactly", "Fixed on purpose", "Engines", "Backfill semantics",
                    "Cascade"):
        assert docs["decisions"].has_heading(heading), heading


# ------------------------------------------------------------------------- the parser can fail
def _problems(text: str, docs: dict[str, Doc]) -> list[tuple[int, str, tuple[str, ...]]]:
    return [(c.line, c.text, c.problems) for c in find_citations(text, "sample.sql", docs)]


def test_a_made_up_citation_is_reported_with_its_line(docs):
    text = ("select 1\n"
            "-- the rule of domain.md §9.9 and decisions.md fix 999\n"
            "-- (domain.md §3 \"no such phrase\", decisions.md \"Nowhere\")\n"
            "-- and shared/docs/domain.md §2.3, domain.md#no-such-anchor\n")
    found = _problems(text, docs)
    assert found == [
        (2, "domain.md §9.9", ("domain.md has no section §9.9",)),
        (2, "decisions.md fix 999", ("decisions.md has no heading 'Fix 999'",)),
        (3, 'domain.md §3 "no such phrase"', ('domain.md §3 does not mention "no such phrase"',)),
        (3, 'decisions.md "Nowhere"', ('decisions.md has no heading "Nowhere"',)),
        (4, "shared/docs/domain.md §2.3",
         ("cites shared/docs/domain.md, outside the repository: cite docs/domain.md",)),
        (4, "domain.md#no-such-anchor", ("domain.md has no heading with the anchor #no-such-anchor",)),
    ]


def test_every_form_the_code_uses_is_parsed(docs):
    text = ("{#- (domain.md §3.1, §3.2, §4.2) and domain.md §3.1-3.4 -#}\n"
            "# decisions.md fixes 2, 5, 6; (decisions.md, fixed quirk 8)\n"
            "    description: 'Days since (decisions.md fix\n"
            "      2: 1 = back-to-back)' and (domain.md\n"
            "    §2.3) and ``domain.md`` §7.1 and domain.md §3.5 \"Expected\n"
            "    -- ranges\" and decisions.md \"Kept exactly\", docs/decisions.md#backfill-semantics\n"
            "domain.md's v1 rule, decisions.md, domain.md §3.5, v2_33features\n"
            "  values: [\"as decisions.md\", \"x\"]\n"
            "(domain.md §3: \"the\n    player's most recent team, found from PGS before D\")\n")
    found = _problems(text, docs)
    assert [(line, cited) for line, cited, _ in found] == [
        (1, "domain.md §3.1, §3.2, §4.2"),
        (1, "domain.md §3.1-3.4"),
        (2, "decisions.md fixes 2, 5, 6"),
        (2, "decisions.md fixed quirk 8"),
        (3, "decisions.md fix 2"),
        (4, "domain.md §2.3"),
        (5, "domain.md §7.1"),
        (5, 'domain.md §3.5 "Expected ranges"'),
        (6, 'decisions.md "Kept exactly"'),
        (6, "docs/decisions.md#backfill-semantics"),
        (7, "domain.md"),
        (7, "decisions.md"),
        (7, "domain.md §3.5"),
        (8, "decisions.md"),
        (9, 'domain.md §3: "the player\'s most recent team, found from PGS before D"'),
    ]
    assert all(not problems for _, _, problems in found), found


def test_a_range_checks_both_ends(docs):
    (found,) = _problems("domain.md §3.1-3.9", docs)
    assert found[2] == ("domain.md has no section §3.9",)


def test_a_bad_reference_inside_domain_md_is_reported(docs):
    doc = Doc.parse("domain", "# Domain\n## 1 One\nsee §1 and §2.7\n")
    bad = [(c.line, c.text) for c in find_self_references(doc) if c.problems]
    assert bad == [(3, "§2.7")]


def test_numbering_faults_are_caught():
    doc = Doc.parse("decisions", "## Fixed on purpose\n### Fix 1: a\n### Fix 3: b\n### Fix 3: c\n")
    assert doc.fixes == [1, 3, 3] != list(range(1, 4))
    dup = Doc.parse("domain", "## 2 Two\n### 2.1 a\n### 2.1 b\n```\n## 9 in a code block\n```\n")
    assert dup.duplicate_sections == ["2.1"] and "9" not in dup.sections


def test_github_slugs():
    assert github_slug("3.5 ml_feature_store_v2 (MLFS)") == "35-ml_feature_store_v2-mlfs"
    assert github_slug("4.3 The upcoming-context fallback and the 90 % coverage gate") == \
        "43-the-upcoming-context-fallback-and-the-90--coverage-gate"
    assert github_slug("1.2 bdl_player_boxscores: Ball Don't Lie box scores") == \
        "12-bdl_player_boxscores-ball-dont-lie-box-scores"


# ------------------------------------------------------------------------------ property tests
_numbers = st.lists(st.integers(0, 12), min_size=1, max_size=3).map(
    lambda parts: ".".join(map(str, parts)))
_filler = st.lists(st.text(alphabet="abc xyz=();,'\t", max_size=30), max_size=6)


@settings(max_examples=200, deadline=None)
@given(number=_numbers, before=_filler, after=st.text(alphabet="abc xyz.;", max_size=20))
def test_a_domain_section_resolves_exactly_when_domain_md_has_it(docs, number, before, after):
    text = "".join(f"{line}\n" for line in before) + f"-- see domain.md §{number} {after}"
    (found,) = _problems(text, docs)
    assert found[0] == len(before) + 1
    assert found[1].startswith(f"domain.md §{number}")
    assert (not found[2]) == (number in docs["domain"].sections), found


@settings(max_examples=200, deadline=None)
@given(numbers=st.lists(st.integers(1, 40), min_size=1, max_size=4), word=st.sampled_from(
    ["fix", "fixes", "fixed quirk", "Fix"]), lines_before=st.integers(0, 30))
def test_a_fix_resolves_exactly_when_decisions_md_has_it(docs, numbers, word, lines_before):
    text = "x\n" * lines_before + f"(decisions.md {word} {', '.join(map(str, numbers))})"
    (found,) = _problems(text, docs)
    assert found[0] == lines_before + 1
    missing = [n for n in numbers if n not in docs["decisions"].fixes]
    assert list(found[2]) == [f"decisions.md has no heading 'Fix {n}'" for n in missing]
