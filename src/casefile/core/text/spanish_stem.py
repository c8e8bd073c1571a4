"""The Snowball Spanish stemmer, on accent-folded words.

Index and queries fold accents before stemming (a query typed without accents must
meet accented text). The Snowball stemmers that Whoosh and PyStemmer ship work on
accented words: `investigación` stems to `investig` but `investigacion` stays whole.
This is the same algorithm (snowballstem.org/algorithms/spanish/stemmer.html) with
every suffix written without accents, so both spellings stem alike and verbs,
participles and nouns meet: asesinar, asesinado, asesinados -> asesin. A test compares
it with Whoosh's stemmer on accented words (then folded).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

_VOWELS = frozenset("aeiou")


Suffixes = tuple[tuple[int, frozenset[str]], ...]
"""Suffixes by length, longest first: a word's ending of each length is looked up in a set,
a few lookups where testing every suffix with `endswith` took most of a stem's time."""


def _by_length(words: str | Iterable[str]) -> Suffixes:
    """Suffixes grouped by length, longest first, so the first that fits is the longest."""
    found = words.split() if isinstance(words, str) else list(words)
    return tuple((n, frozenset(s for s in found if len(s) == n)) for n in sorted({len(s) for s in found}, reverse=True))


_PRONOUNS = _by_length("selas selos sela selo las les los nos me se la le lo")
_BEFORE_PRONOUN = _by_length("iendo ando ar er ir")
_DELETE_R2 = tuple("anza anzas ico ica icos icas ismo ismos able ables ible ibles ista istas "
                        "oso osa osos osas amiento amientos imiento imientos".split())
_DELETE_R2_IC = tuple("adora ador acion adoras adores aciones ante antes ancia ancias".split())
_REPLACE_R2 = {"logia": "log", "logias": "log", "ucion": "u", "uciones": "u", "encia": "ente", "encias": "ente"}
_Y_VERBS = _by_length("ya ye yan yen yeron yendo yo yas yes yais yamos")
_VERBS_GU = _by_length("en es eis emos")
_VERBS = _by_length(
    "aran aras areis aremos ara erian erias eriais eria "
    "ereis eriamos eremos irian irias iriais iria ireis iriamos iremos aba ada "
    "ida ara iera ad ed id ase iese aste iste an aban ian aran ieran asen iesen aron ieron ado ido "
    "ando iendo ar er ir as abas adas idas aras ieras ases ieses ais abais arais ierais "
    "aseis ieseis asteis isteis ados idos amos abamos imos aramos ieramos iesemos asemos")
"""Snowball's step 2b suffixes, folded, less those whose folded form is mostly a noun
or adjective ending: -ía, -ías, -íamos, -íais, -ió, -ís, the conditional -aría(s,n,mos,is) and
the future -erá(s,n), -irá(s,n), -aré, -eré, -iré (familia, homicidio, crisis, humanitaria,
frontera, mentira would stem apart from their plurals or lose their root). The price: a
few verb forms (falleció, había) no longer meet their infinitive."""
_RESIDUAL = _by_length("os a o")


def stem(word: str) -> str:
    """The Snowball Spanish stem of a folded (lower-case, accent-free) word."""
    rv, r1, r2 = _regions(word)
    word = _pronoun(word, rv)
    shorter = _standard(word, r1, r2)
    if shorter is None:
        shorter = _y_verb(word, rv)
        if shorter is None:
            shorter = _verb(word, rv)
    return _residual(shorter if shorter is not None else word, rv)


def _regions(word: str) -> tuple[int, int, int]:
    """Start offsets of Snowball's RV, R1 and R2."""
    if len(word) < 2:
        rv = len(word)
    elif word[1] not in _VOWELS:
        rv = next((i + 1 for i in range(2, len(word)) if word[i] in _VOWELS), len(word))
    elif word[0] in _VOWELS:
        rv = next((i + 1 for i in range(2, len(word)) if word[i] not in _VOWELS), len(word))
    else:
        rv = 3
    r1 = _after_vowel_consonant(word, 0)
    return min(rv, len(word)), r1, _after_vowel_consonant(word, r1)


def _after_vowel_consonant(word: str, start: int) -> int:
    """Offset after the first non-vowel that follows a vowel, from `start`."""
    for i in range(max(start, 1), len(word)):
        if word[i] not in _VOWELS and word[i - 1] in _VOWELS:
            return i + 1
    return len(word)


def _ending(word: str, suffixes: Suffixes, region: int = 0) -> str | None:
    """The longest suffix of `suffixes` that ends `word` inside the region."""
    for size, group in suffixes:
        if len(word) - size >= region and word[-size:] in group:
            return word[-size:]
    return None


def _pronoun(word: str, rv: int) -> str:
    """Step 0: an attached pronoun after a gerund or an infinitive (`diciendolo`)."""
    found = _ending(word, _PRONOUNS)
    if found is None:
        return word
    rest = word[: -len(found)]
    if _ending(rest, _BEFORE_PRONOUN, rv) or (rest.endswith("uyendo") and len(rest) - 5 >= rv):
        return rest
    return word


def _standard(word: str, r1: int, r2: int) -> str | None:
    """Step 1: noun and adjective suffixes (the longest that ends the word); None when
    none was removed."""
    found = _ending(word, _STEP1_SUFFIXES)
    if found is None:
        return None
    return _STEP1[found](word[: -len(found)], r1, r2)


def _cut(rest: str, region: int, r2: int, before: tuple[str, ...] = ()) -> str | None:
    """Delete the suffix if `rest` reaches its region, then one of `before` in R2."""
    if len(rest) < region:
        return None
    also = next((b for b in before if rest.endswith(b) and len(rest) - len(b) >= r2), None)
    return rest[: -len(also)] if also else rest


def _amente(rest: str, r1: int, r2: int) -> str | None:
    """`amente` in R1, then iv (and at before it), or os, ic, ad, in R2."""
    if len(rest) < r1:
        return None
    if rest.endswith("iv") and len(rest) - 2 >= r2:
        rest = rest[:-2]
        return rest[:-2] if rest.endswith("at") and len(rest) - 2 >= r2 else rest
    return _cut(rest, r1, r2, ("os", "ic", "ad"))


def _replace(by: str) -> Step1:
    """Replace the suffix with `by` if in R2."""
    return lambda rest, r1, r2: rest + by if len(rest) >= r2 else None


def _delete(before: tuple[str, ...] = ()) -> Step1:
    """Delete the suffix if in R2, then one of `before` if in R2 too."""
    return lambda rest, r1, r2: _cut(rest, r2, r2, before)


Step1 = Callable[[str, int, int], "str | None"]
_STEP1: dict[str, Step1] = {
    "amente": _amente,
    "mente": _delete(("ante", "able", "ible")),
    **dict.fromkeys(("idad", "idades"), _delete(("abil", "ic", "iv"))),
    **dict.fromkeys(("iva", "ivo", "ivas", "ivos"), _delete(("at",))),
    **dict.fromkeys(_DELETE_R2_IC, _delete(("ic",))),
    **{suffix: _replace(by) for suffix, by in _REPLACE_R2.items()},
    **dict.fromkeys(_DELETE_R2, _delete()),
}
_STEP1_SUFFIXES = _by_length(_STEP1)


def _y_verb(word: str, rv: int) -> str | None:
    """Step 2a: verb suffixes starting with y, after u."""
    found = _ending(word, _Y_VERBS, rv)
    if found is not None and word[: -len(found)].endswith("u"):
        return word[: -len(found)]
    return None


def _verb(word: str, rv: int) -> str | None:
    """Step 2b: other verb suffixes."""
    gu, other = _ending(word, _VERBS_GU, rv), _ending(word, _VERBS, rv)
    if gu is not None and (other is None or len(gu) >= len(other)):
        rest = word[: -len(gu)]
        return rest[:-1] if rest.endswith("gu") else rest
    return word[: -len(other)] if other is not None else None


def _residual(word: str, rv: int) -> str:
    """Step 3: a final vowel (and the u of gue, gui) in RV."""
    found = _ending(word, _RESIDUAL, rv)
    if found is not None:
        return word[: -len(found)]
    if word.endswith("e") and len(word) - 1 >= rv:
        word = word[:-1]
        return word[:-1] if word.endswith("gu") and len(word) - 1 >= rv else word
    return word
