"""Front matter and body threats: each is a located problem, never an exception or a hang."""

from __future__ import annotations

import pytest

from casefile.core.read.frontmatter import MAX_FRONT_MATTER_CHARS
from casefile.core.read.parse import MAX_TITLE_CHARS, parse_case
from casefile.core.text.sanitize import is_clean
from safety.helpers import within


def problems_of(text: str, path: str = "case.md") -> dict[str, int | None]:
    """Problem code -> line, for one parsed text."""
    with within(5):
        _case, problems = parse_case(text, path)
    return {p.code: p.line for p in problems}


def fm(yaml: str, body: str = "Body text.\n") -> str:
    return f"---\n{yaml}\n---\n{body}"


ALIAS_BOMB = fm("a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                "e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]")


@pytest.mark.parametrize(("text", "code", "line"), [
    (ALIAS_BOMB, "front-matter-invalid", 2),
    (fm("title: ok\nx: !!python/object/apply:os.system ['echo pwned']"), "front-matter-invalid", 3),
    (fm("x: !!python/name:os.system"), "front-matter-invalid", 2),
    (fm("title: ok\ndate: 2017-13-45"), "date-invalid", 3),
    (fm("date: !!timestamp 2017-13-45"), "front-matter-invalid", 2),
    (fm("tags: {surveillance: mexico}"), "field-invalid", 2),
    (fm("title: t\nentities: [Citizen Lab]"), "field-invalid", 3),
    (fm("title: [a, b]"), "field-invalid", 2),
    (fm("id: 0x" + "f" * 5000), "field-invalid", 2),
    (fm("date: 0x" + "f" * 5000), "date-invalid", 2),
    (fm("title: " + "9" * 5000), "front-matter-invalid", 2),
    (fm("tags: " + "[" * 20000 + "]" * 20000), "front-matter-invalid", 2),
    (fm('t: "&"\nb: ' + "[" * 20000 + "]" * 20000), "front-matter-invalid", 3),
    (fm('t: "*"\nb:\n' + "".join(" " * i + "- \n" for i in range(1, 300))), "front-matter-invalid", 67),
    ("---\ntitle: " + "x" * (MAX_FRONT_MATTER_CHARS + 10) + "\n---\nbody", "front-matter-invalid", 2),
    ("---\n" + "title: x\n" * (MAX_FRONT_MATTER_CHARS // 9 + 10) + "---\nbody", "front-matter-invalid", 1),
])
def test_bad_front_matter_is_a_located_problem(text: str, code: str, line: int) -> None:
    assert problems_of(text).get(code) == line


@pytest.mark.parametrize("yaml", [
    "title: ok\nx: !!binary aGVsbG8=", "title: ok\nx: !!set {a, b}", "title: ok\nx: !!omap [a: 1]",
    "title: ok\nx: !!pairs [a: 1]", "title: ok\nx: !!timestamp 2017-01-01", "title: ok\nx: !!str 5",
    "title: ok\nx: ! plain", "title: ok\nx: [a, !!int 5]", "title: ok\nx: {k: !!float 1}",
    "title: ok\nx:\n  - !!binary aGVsbG8=",
])
def test_every_explicit_yaml_tag_is_refused(yaml: str) -> None:
    # The README promises tags are refused; the safe loader still built bytes, sets, dates.
    found = problems_of(fm(yaml))
    assert found.get("front-matter-invalid") == (4 if "\n  -" in yaml else 3), found


@pytest.mark.parametrize(("yaml", "line"), [
    ("title: first\nstatus: open\ntitle: second", 4),
    ("entities:\n  person: [a]\n  person: [b]", 4),
    ("title: t\nsources:\n  - {url: x, url: y}", 4),
    ('title: t\n"title": again', 3),
])
def test_duplicate_keys_are_reported_with_their_line(yaml: str, line: int) -> None:
    _case, problems = parse_case(fm(yaml), "c.md")
    found = [(p.code, p.line) for p in problems]
    assert found == [("front-matter-invalid", line)]
    assert "duplicate key" in problems[0].message


def test_plain_text_with_exclamation_marks_still_loads() -> None:
    case, problems = parse_case(fm('title: Hello! World!\ntags: ["a!", b]\nstatus: "!x"'), "c.md")
    assert problems == [] and case.title == "Hello! World!" and case.status == "!x"


def test_unclosed_front_matter_is_a_warning_and_the_text_is_kept() -> None:
    case, problems = parse_case("---\ntitle: never closed\n\n# Heading\n\nbody #tag\n", "c.md")
    assert [(p.code, p.line, p.severity) for p in problems] == [("front-matter-unclosed", 1, "warning")]
    assert case.title == "Heading" and case.tags == ("tag",) and "never closed" in case.body


def test_the_rest_of_the_file_is_used_after_a_wrong_type() -> None:
    case, problems = parse_case(fm("title: Kept\ndate: 2017-13-45\ntags: [a]\nentities: [x]"), "c.md")
    assert (case.title, case.date, case.tags, case.entities) == ("Kept", None, ("a",), ())
    assert {p.code for p in problems} == {"date-invalid", "field-invalid"}


def test_escape_sequences_in_front_matter_values_are_removed() -> None:
    text = fm('title: "\\e]0;pwned\\a T"\nstatus: "\\e[31mopen"\ntags: ["\\x9bx"]\n'
              'sources:\n  - title: "\\e[2Js"\n    date: "\\e[31m2017"\n    url: "\\e]52;c;x\\a"\n'
              'entities:\n  "\\e[1mperson": ["\\u202eevil"]')
    case, problems = parse_case(text, "c.md")
    assert [(p.code, p.line) for p in problems] == [("control-characters", 2)]
    strings = [case.title, case.status or "", *case.tags, *(n for pair in case.entities for n in pair)]
    strings += [v or "" for s in case.sources for v in (s.title, s.url, s.date)]
    assert all(is_clean(s) for s in strings), strings


def test_body_links_and_headings_are_clean() -> None:
    text = "# \x1b]0;pwned\x07Title\x9b2J\n\nbody \x1b[31mred [[\x1b]8;;x\x07Target|\x1b[1mlabel]] \u202e\n"
    case, _ = parse_case(text, "c.md")
    assert is_clean(case.title) and is_clean(case.body)
    assert all(is_clean(link.target) and is_clean(link.label or "") for link in case.links)
    assert case.body.count("\n") == text.count("\n")  # line numbers still hold


def test_dirty_path_gives_clean_id_and_problem_paths() -> None:
    case, problems = parse_case(fm("date: 2017-13-45"), "a\x1b]0;x\x07b.md")
    assert is_clean(case.id) and is_clean(case.title)
    assert problems and all(is_clean(p.path) for p in problems)


@pytest.mark.parametrize("href", [
    "[x](../../etc/passwd)", "[x](/etc/shadow)", "[x](file:///etc/passwd)", "<file:///etc/hosts>",
    "![img](../../../home/user/.ssh/id_rsa)", "[x](%2e%2e/%2e%2e/secret)", "[x](C:\\Windows\\win.ini)",
    "[[../../etc/passwd]]", "[[/etc/passwd]]", "[[file:///etc/passwd]]",
])
def test_links_outside_the_folder_are_reported(href: str) -> None:
    assert problems_of(f"# T\n\nsee {href}\n", "sub/case.md") == {"link-outside": 3}


@pytest.mark.parametrize("href", ["[x](../other.md)", "[x](https://example.org/a)", "[x](#part)",
                                  "[[2017/mx-004]]", "[x](mailto:a@example.org)"])
def test_links_inside_the_folder_or_external_are_not_reported(href: str) -> None:
    assert problems_of(f"see {href}\n", "sub/case.md") == {}


def test_thousands_of_outside_links_make_one_problem() -> None:
    _case, problems = parse_case("[x](file:///etc/passwd)\n" * 5000, "c.md")
    assert [(p.code, p.line) for p in problems] == [("link-outside", 1)]
    assert "5,000" in problems[0].message


def test_thousands_of_wiki_links_are_capped() -> None:
    case, problems = parse_case("[[A]] " * 6000, "c.md")
    assert len(case.links) == 5000
    assert [p.code for p in problems] == ["too-many-links"]


@pytest.mark.parametrize("body", [
    "# a" + " " * 50_000 + "b\n",                # heading regex was quadratic
    "a" + "`" * 5_000 + "\n",                    # inline code regex was cubic
    "x " + "`` " * 100_000 + "\n",
    "[[a|" * 100_000 + "\n",
    "#" + "a" * 1_000_000 + "\n",
    "[" * 200_000 + "\n",
    ">" * 200_000 + " deep quote\n",
    "".join("  " * i + "- item\n" for i in range(3000)),
    "word " * 400_000,                           # one 2 MB line
])
def test_pathological_bodies_parse_in_bounded_time(body: str) -> None:
    with within(5):
        case, _ = parse_case(body, "c.md")
    assert is_clean(case.body)
    assert len(case.title) <= MAX_TITLE_CHARS and all(len(t) <= 301 for t in case.tags)


def test_heading_closing_hashes_are_still_stripped() -> None:
    assert parse_case("# Title ##\n", "c.md")[0].title == "Title"
    assert parse_case("# C# #\n", "c.md")[0].title == "C#"


def test_inline_code_pairs_runs_of_equal_length() -> None:
    case, _ = parse_case("``code with ` #nottag [[NotLink]]`` #tag [[Link]]\n", "c.md")
    assert (case.tags, [link.target for link in case.links]) == (("tag",), ["Link"])


@pytest.mark.parametrize("target", ["[[\x1b]]", "[[a\x9bb]]", "[[x\u202ey]]"])
def test_wiki_link_targets_are_taken_from_the_cleaned_body(target: str) -> None:
    case, _ = parse_case(f"see {target}\n", "c.md")  # found by hypothesis: '[[\x1b]]'
    assert all(is_clean(link.target) for link in case.links)


@pytest.mark.parametrize(("text", "line"), [
    ("ok\nstill ok\nnow \x1b[31mred\n", 3), ("---\nid: x\ntitle: \"\\e]0;t\\a\"\n---\n", 3),
    ("---\nx: 1\n---\n# \u202eevil\n", 4), ("a\x07\n", 1),
])
def test_control_characters_in_a_file_are_a_located_warning(text: str, line: int | None) -> None:
    # A YAML escape (\e) is plain text in the file but a real ESC in the value: warned at its key.
    assert problems_of(text).get("control-characters") == line


def test_crlf_line_endings_are_not_control_characters() -> None:
    assert problems_of("# Title\r\n\r\nBody\r\n") == {}


def test_link_contexts_on_one_huge_line_are_bounded() -> None:
    from casefile.core.xref.record import bare_record  # regression: 7 s for this file in `check`

    case, _ = parse_case("[[Citizen Lab]] and more words " * 5000, "c.md")
    with within(3):
        record = bare_record(case)
    assert len(record.links) == 5000 and all(len(link[2]) < 200 for link in record.links)


INVISIBLE = {"\u200b": "ZWSP", "\u200c": "ZWNJ", "\u200d": "ZWJ", "\u2060": "WJ", "\ufeff": "BOM",
             "\u200e": "LRM", "\u200f": "RLM", "\u061c": "ALM", "\u2028": "LSEP", "\u2029": "PSEP"}


@pytest.mark.parametrize("char", list(INVISIBLE))
def test_invisible_characters_in_a_title_are_shown_and_ignored_in_comparisons(char: str) -> None:
    from casefile.core.text.names import normalize_name
    from casefile.core.xref.mentions import name_key

    breaks = INVISIBLE[char] in ("LSEP", "PSEP")  # YAML reads these as line breaks: escape them
    title = f'"Citizen\\u{ord(char):04x}Lab"' if breaks else f"Citizen{char}Lab"
    case, problems = parse_case(fm(f"id: x\ntitle: {title}"), "c.md")
    assert case.title == f"Citizen⟨{INVISIBLE[char]}⟩Lab"
    assert [(p.code, p.line, p.severity) for p in problems] == [("invisible-characters", 3, "warning")]
    assert f"⟨{INVISIBLE[char]}⟩" in problems[0].message and char not in problems[0].message
    plain = "Citizen Lab" if breaks else "CitizenLab"
    for spelling in (case.title, f"Citizen{char}Lab"):  # shown or raw, it is the same name
        assert normalize_name(spelling) == name_key(spelling) == normalize_name(plain)


def test_invisible_characters_in_names_aliases_and_links_are_shown() -> None:
    text = fm("type: organization\nname: R3D\naliases: [Red en Defensa\u200b]\n"
              "entities:\n  person: [Ana\u200fMaría]", "see [[Citizen\u2060Lab]]\n")
    case, problems = parse_case(text, "c.md")
    assert case.aliases == ("Red en Defensa⟨ZWSP⟩",)
    assert case.entities == (("person", "Ana⟨RLM⟩María"),)
    assert [link.target for link in case.links] == ["Citizen⟨WJ⟩Lab"]
    assert [(p.code, p.line) for p in problems] == [("invisible-characters", 4)]
    assert "3 names" in problems[0].message


def test_invisible_characters_in_an_id_are_dropped() -> None:
    case, problems = parse_case(fm("title: t\nid: MX-2017\u200b-004\ufeff"), "c.md")
    assert case.id == "MX-2017-004"
    assert [(p.code, p.line) for p in problems] == [("invisible-characters", 3)]
    assert "MX-2017⟨ZWSP⟩-004⟨BOM⟩" in problems[0].message


def test_a_file_name_with_invisible_characters_is_named_visibly() -> None:
    case, problems = parse_case("Body without a heading.\n", "orgs/Citizen\u200bLab.md")
    assert (case.id, case.title, case.path) == ("orgs/CitizenLab", "Citizen⟨ZWSP⟩Lab", "orgs/Citizen\u200bLab.md")
    assert [(p.code, p.line) for p in problems] == [("invisible-characters", None)]
    assert "orgs/Citizen⟨ZWSP⟩Lab.md" in problems[0].message


def test_a_heading_title_with_invisible_characters_is_located() -> None:
    _case, problems = parse_case("Intro\n\n# Citizen\u200dLab\n", "c.md")
    assert [(p.code, p.line) for p in problems] == [("invisible-characters", 3)]


def test_invisible_characters_in_body_prose_are_not_a_problem() -> None:
    # Persian and Indic text need ZWNJ/ZWJ; emoji sequences need ZWJ: only names are checked.
    case, problems = parse_case("# Title\n\nمی\u200cخواهم 👩\u200d💻 \u200e\n", "c.md")
    assert problems == [] and "\u200c" in case.body


def test_shown_invisible_marks_are_not_indexed_as_words() -> None:
    from casefile.core.index.documents import Stemmers, document
    from casefile.core.text.analysis import StemCache

    case, _ = parse_case(fm("title: Citizen\u200bLab\nentities:\n  org: [Red\u200fD]"), "c.md")
    doc = document(case, {}, Stemmers(StemCache(str)))
    words = [w for section in doc["title"] + doc["entity"] + doc["stem"] for w in section[0]]
    assert "citizenlab" in words and "redd" in words  # found as they look
    assert not {"zwsp", "rlm"} & set(words)
