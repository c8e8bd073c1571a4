"""Deterministic generator of a realistic case folder for benchmarks.

`generate(folder, n_cases, seed)` writes `n_cases` case files plus entity pages
(about one per twenty cases) below `folder`: ~30% Spanish, a long-tailed size mix
(most cases 1-6 KB, a few up to ~120 KB), Zipf-distributed vocabulary with a long
tail of rare words, front matter of every shape the format allows, hashtags,
wiki-links to entities and other cases, and dates of all three precisions.
The same (n_cases, seed) always gives byte-identical files.

Run as a script: `python bench/corpus.py FOLDER N [--seed S]`.
"""

from __future__ import annotations

import argparse
import itertools
import random
from dataclasses import dataclass
from pathlib import Path

EN_WORDS = """the of and to in a is that for on with as by was were this from are be at or an
has have had it its which their not but also been after when who they more than report said
government surveillance journalist journalists human rights activists lawyer lawyers phone
phones spyware infection infections message messages link links investigation investigations
police army military prosecutor prosecutors court judge evidence witness witnesses family
families disappearance disappeared students student protest protests attack attacks threat
threats security forensic analysis researchers research laboratory exploit exploits software
company companies contract contracts minister ministry office public private data leak leaked
documents document interview interviews source sources victim victims abuse abuses killing
killed detention detained torture official officials authorities federal state local election
campaign party opposition media newspaper press freedom expression privacy internet network
monitoring monitored surveilled targeted targets target operation operations agency agencies
intelligence complaint complaints lawsuit filed hearing appeal ruling case cases file files
record records timeline event events meeting meetings statement statements email emails
camera cameras video videos photo photos border migrants migration community communities
indigenous land water mining environmental defender defenders organization organizations
network networks funding budget purchase purchased license licenses vendor vendors""".split()

ES_WORDS = """el la los las de del y en un una que por para con como se su sus al es fue
fueron ha han más pero también sin sobre entre cuando donde gobierno vigilancia periodista
periodistas derechos humanos activistas abogado abogados abogada teléfono teléfonos espionaje
infección infecciones mensaje mensajes enlace enlaces investigación investigaciones policía
ejército militares fiscal fiscalía tribunal juez jueza prueba pruebas testigo testigos familia
familias desaparición desaparecidos desaparecidas estudiantes estudiante protesta protestas
ataque ataques amenaza amenazas seguridad análisis forense laboratorio investigadores empresa
empresas contrato contratos secretaría oficina público pública privado datos filtración
documentos documento entrevista entrevistas fuente fuentes víctima víctimas abuso abusos
asesinato detención detenidos tortura funcionario funcionarios autoridades federal estatal
elección campaña partido oposición medios prensa libertad expresión privacidad red redes
monitoreo espiados espiado objetivo objetivos operación operaciones agencia inteligencia
denuncia denuncias demanda audiencia apelación resolución expediente expedientes cronología
reunión reuniones declaración declaraciones correo cámara cámaras frontera migrantes
comunidad comunidades indígenas tierra agua minería defensora defensores organización
organizaciones financiamiento presupuesto compra licencia licencias proveedor niños niñas
acción año años según señaló información""".split()

TAGS = """mexico surveillance spyware pegasus journalists lawyers activists disappearance
ayotzinapa torture detention migration border mining environment indigenous elections
protest censorship privacy leaks forensics courts police military corruption contracts
freedom-of-expression human-rights gender femicide land water health education labour
colombia guatemala honduras el-salvador peru chile argentina brazil venezuela nicaragua
spain usa canada israel italy finland germany vendor exports hacking-team finfisher
candiru predator cellebrite imsi-catcher facial-recognition biometrics data-breach
doxxing harassment smear-campaign defamation lawsuit amparo transparency foia
archives testimony witness exhumation forensic-anthropology mass-graves search-brigades
""".split()

PEOPLE = """Carmen Aristegui|Emilio Aristegui|Rafael Cabrera|Carlos Loret de Mola|
Enrique Peña Nieto|Andrés Manuel López Obrador|Mario Patrón|Santiago Aguirre|
Stephanie Brewer|Juan Pardinas|Alexandra Zapata|Salvador Camarena|Daniel Lizárraga|
Sebastián Barragán|Ricardo Raphael|Griselda Triana|Javier Valdez|Miroslava Breach|
Anabel Hernández|Lydia Cacho|Marcela Turati|Ángela Buitrago|Claudia Paz y Paz|
Francisco Cox|Alejandro Valencia|Carlos Beristain|Omar Gómez Trejo|Jesús Murillo Karam|
Tomás Zerón|Luis Fernando García|Bill Marczak|John Scott-Railton|Ron Deibert|
Natalia Krapiva|Vladimir Cortés|Ana Gaitán|Leopoldo Maldonado|Paulina Castaño""".replace("\n", "").split("|")

ORGS = """Citizen Lab|Article 19|R3D|SocialTIC|Centro Prodh|IMCO|MCCI|NSO Group|
Hacking Team|PGR|FGR|SEDENA|CISEN|GIEI|IACHR|Amnesty International|Access Now|
Human Rights Watch|Reporters Without Borders|CPJ|EFF|Privacy International|
Forbidden Stories|Tlachinollan|Fundar|CMDPDH|Propuesta Cívica|Animal Político|
Proceso|Aristegui Noticias|El Universal|Reforma|Quinto Elemento Lab|CIDH|ONU-DH""".replace(
    "\n", "").split("|")

PLACES = """Mexico City|Iguala|Guerrero|Chihuahua|Sinaloa|Culiacán|Tamaulipas|Veracruz|
Oaxaca|Chiapas|Michoacán|Jalisco|Guadalajara|Monterrey|Tijuana|Ciudad Juárez|Puebla|
Cocula|Ayotzinapa|Toronto|Tel Aviv|Milan|Washington|Madrid|Bogotá|Tegucigalpa""".replace(
    "\n", "").split("|")

ALIASES = {
    "Citizen Lab": ["The Citizen Lab", "Munk School Citizen Lab"],
    "R3D": ["Red en Defensa de los Derechos Digitales", "Red en Defensa"],
    "Enrique Peña Nieto": ["EPN", "Peña Nieto"],
    "NSO Group": ["NSO", "Q Cyber Technologies"],
    "PGR": ["Procuraduría General de la República"],
    "Centro Prodh": ["Centro de Derechos Humanos Miguel Agustín Pro Juárez"],
    "IACHR": ["CIDH", "Inter-American Commission on Human Rights"],
}

COUNTRY_CODES = ["MX", "GT", "HN", "SV", "CO", "PE", "VE", "NI", "US", "ES"]
STATUSES = ["open", "open", "open", "closed", "closed", "archived", "monitoring", "abierto"]
SYLLABLES = ("ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga go gu la le li lo "
             "lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su "
             "ta te ti to tu va ve vi vo za ze zi zo tra tre tri bra bre pla ple cla cle "
             "ción sión dad mente ando iendo ría nes ter ber ker son ment ness ing ed ly").split()


@dataclass(frozen=True)
class _Entity:
    """One entity page to write."""

    kind: str
    name: str
    slug: str


def _slug(text: str) -> str:
    """A file-name-safe lower-case slug."""
    kept = "".join(ch if ch.isalnum() else "-" for ch in text.lower())
    return "-".join(part for part in kept.split("-") if part)[:60] or "x"


class _Vocabulary:
    """Zipf-distributed words for one language: real words first, then a long tail."""

    def __init__(self, rng: random.Random, core: list[str], n_tail: int) -> None:
        tail = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(n_tail)}
        self.words = core + sorted(tail - set(core))
        rng.shuffle(self.words[len(core):])
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.words))]
        self.cumulative = list(itertools.accumulate(weights))

    def sample(self, rng: random.Random, k: int) -> list[str]:
        """`k` words drawn by frequency."""
        return rng.choices(self.words, cum_weights=self.cumulative, k=k)


def _case_id(rng: random.Random, number: int) -> str:
    """An id such as MX-2017-004, unique by construction (the number is in it)."""
    return f"{rng.choice(COUNTRY_CODES)}-{2010 + number % 15}-{number:05d}"


def _date(rng: random.Random, number: int) -> str | None:
    """A date of year, month or day precision, or none (about 5%)."""
    roll = rng.random()
    year = 2010 + number % 15
    if roll < 0.05:
        return None
    if roll < 0.15:
        return f"{year}"
    if roll < 0.35:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _body_words(rng: random.Random) -> int:
    """Words in a body: log-normal, median ~350 words (~2.5 KB), capped near 120 KB."""
    return max(30, min(18_000, int(rng.lognormvariate(5.85, 0.8))))


def _paragraphs(rng: random.Random, vocab: _Vocabulary, n_words: int, mentions: list[str],
                ids: list[str]) -> list[str]:
    """Body paragraphs with sentences, hashtags, wiki-links and identifiers sprinkled in."""
    words = vocab.sample(rng, n_words)
    paragraphs: list[str] = []
    start = 0
    while start < len(words):
        size = rng.randint(40, 120)
        chunk, start = words[start:start + size], start + size
        if rng.random() < 0.3 and mentions:
            chunk.insert(rng.randrange(len(chunk) + 1), f"[[{rng.choice(mentions)}]]")
        if rng.random() < 0.15 and ids:
            chunk.insert(rng.randrange(len(chunk) + 1), f"[[{rng.choice(ids)}]]")
        if rng.random() < 0.1:
            chunk.insert(rng.randrange(len(chunk) + 1), f"#{rng.choice(TAGS)}")
        if rng.random() < 0.2 and mentions:
            chunk.insert(rng.randrange(len(chunk) + 1), rng.choice(mentions))
        text = " ".join(chunk)
        paragraphs.append(text[:1].upper() + text[1:] + ".")
    if rng.random() < 0.05:
        paragraphs.append("```\ntimestamp sha256 host #not-a-tag [[Not A Link]]\n```")
    return paragraphs


def _front_matter(rng: random.Random, case_id: str, title: str, lang: str, number: int,
                  people: list[str], orgs: list[str], places: list[str]) -> list[str]:
    """Front matter lines; about 10% of cases have none at all."""
    if rng.random() < 0.1:
        return []
    lines = ["---", f"id: {case_id}", f'title: "{title}"']
    date = _date(rng, number)
    if date:
        lines.append(f"date: {date}")
    lines += [f"status: {rng.choice(STATUSES)}",
              f"tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 5)))}]"]
    if lang == "es":
        lines.append("lang: es")
    lines.append("entities:")
    for key, names in (("person", people), ("organization", orgs), ("place", places)):
        if names:
            lines.append(f"  {key}: [{', '.join(names)}]")
    if rng.random() < 0.4:
        lines += ["sources:", f'  - title: "Source {number}"',
                  f"    url: https://example.org/{number}", f"    date: {2010 + number % 15}"]
    return [*lines, "---", ""]


def _case_text(rng: random.Random, number: int, lang: str, vocab: _Vocabulary,
               known_ids: list[str]) -> tuple[str, str]:
    """(id, Markdown text) of case `number`."""
    case_id = _case_id(rng, number)
    people = rng.sample(PEOPLE, rng.randint(0, 3))
    orgs = rng.sample(ORGS, rng.randint(0, 3))
    places = rng.sample(PLACES, rng.randint(0, 2))
    title_words = [*vocab.sample(rng, rng.randint(4, 9)), rng.choice(people + orgs + places or ORGS)]
    title = " ".join(title_words).capitalize()
    lines = _front_matter(rng, case_id, title, lang, number, people, orgs, places)
    lines += [f"# {title}", ""]
    mentions = people + orgs + places + rng.sample(ORGS + PEOPLE, 2)
    lines += "\n\n".join(_paragraphs(rng, vocab, _body_words(rng), mentions, known_ids)).split("\n")
    return case_id, "\n".join(lines) + "\n"


def _entities() -> list[_Entity]:
    """Every person, organization and place as an entity."""
    found = [_Entity("person", n, _slug(n)) for n in PEOPLE]
    found += [_Entity("organization", n, _slug(n)) for n in ORGS]
    return found + [_Entity("place", n, _slug(n)) for n in PLACES]


def _entity_text(rng: random.Random, entity: _Entity, vocab: _Vocabulary, copy: int) -> str:
    """Markdown of an entity page (copies beyond the first are namesakes in sub-folders)."""
    name = entity.name if copy == 0 else f"{entity.name} {copy}"
    aliases = ALIASES.get(entity.name, []) if copy == 0 else []
    lines = ["---", f"type: {entity.kind}", f"name: {name}"]
    if aliases:
        lines.append(f"aliases: [{', '.join(aliases)}]")
    lines += ["---", "", f"# {name}", ""]
    lines.append(" ".join(vocab.sample(rng, rng.randint(40, 200))).capitalize() + ".")
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> None:
    """Write one file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def expected_files(n_cases: int) -> int:
    """How many Markdown files `generate(folder, n_cases)` writes (cases plus entity pages)."""
    return n_cases + max(1, n_cases // (20 * len(_entities()))) * len(_entities())


def generate(folder: Path, n_cases: int, seed: int = 1, languages: dict[str, str] | None = None) -> Path:
    """Write a deterministic case folder of `n_cases` cases plus entity pages; return it.
    `languages`, when given, receives each file's relative path -> the language written."""
    languages = {} if languages is None else languages
    folder = Path(folder)
    rng = random.Random(seed)
    vocab = {"en": _Vocabulary(rng, EN_WORDS, 40_000), "es": _Vocabulary(rng, ES_WORDS, 40_000)}
    known_ids: list[str] = []
    for number in range(1, n_cases + 1):
        lang = "es" if rng.random() < 0.3 else "en"
        case_id, text = _case_text(rng, number, lang, vocab[lang], known_ids[-500:])
        known_ids.append(case_id)
        sub = f"{case_id[:2].lower()}/{2010 + number % 15}"
        _write(folder / sub / f"{case_id.lower()}.md", text)
        languages[f"{sub}/{case_id.lower()}.md"] = lang
    for copy in range(max(1, n_cases // (20 * len(_entities())))):
        for entity in _entities():
            lang = "es" if entity.kind == "place" else "en"
            base = folder / "entities" / entity.kind / (f"{copy:03d}" if copy else "")
            _write(base / f"{entity.slug}.md", _entity_text(rng, entity, vocab[lang], copy))
            languages[(base / f"{entity.slug}.md").relative_to(folder).as_posix()] = lang
    return folder


def main() -> None:
    """Command line: generate a folder."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("n_cases", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.folder, args.n_cases, args.seed)


if __name__ == "__main__":
    main()
