"""Arabic entity recognition: tokens with original offsets, gazetteer chunks (offices and titles, countries
and their adjectives and capitals, cities) and person names after a title."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from diurna.arabic.normalise import Normalised, normalise
from diurna.arabic.romanise import known_name_part
from diurna.arabic.tables import CountryHit, Office, Tables, load_tables

_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]|\n")
BOUNDARY_PUNCT = set("،,؛;.:!؟?\"«»()[]{}\n—–|·") | {"“", "”"}
SENTENCE_END = set(".!؟?\n")
# Proclitics that can be glued to a word: conjunctions, then prepositions (ب ل ك), with ل+ال written لل.
_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")
# Name parts that join the next token: عبد الحميد, بن سلمان, أبو محمد, آل ثاني.
NAME_LINKS = {"عبد", "ابو", "ابن", "بن", "بنت", "ال", "ذو", "ابي"}
MAX_NAME_TOKENS = 4


@dataclass
class Token:
    i: int
    text: str  # normalised
    start: int  # original offsets
    end: int

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()


def clitic_variants(word: str) -> list[tuple[str, str]]:
    """(proclitics, base) readings of a word, the bare reading first: وبالعراق -> ('', وبالعراق),
    ('و', بالعراق), ('وب', العراق); للرئيس -> ('لل', الرئيس), the article fused with the preposition."""
    readings = [("", word)]
    rest, conj = word, ""
    if len(rest) > 2 and rest[0] in _CONJ:
        conj, rest = rest[0], rest[1:]
        readings.append((conj, rest))
    if len(rest) > 2 and rest.startswith("لل"):
        readings.append((conj + "لل", "ال" + rest[2:]))  # prefix لل: the preposition fused with the article
        readings.append((conj + "ل", rest[1:]))  # للبنان: ل + لبنان
    elif len(rest) > 2 and rest[0] in _PREP:
        readings.append((conj + rest[0], rest[1:]))
    return readings


def tokenize(text: str, start: int = 0, end: int | None = None) -> tuple[list[Token], Normalised]:
    """Tokens of text[start:end] (normalised), each with its span in the original `text`."""
    end = len(text) if end is None else end
    normalised = normalise(text[start:end])
    tokens = []
    for match in _TOKEN.finditer(normalised.text):
        s, e = normalised.span(match.start(), match.end())
        tokens.append(Token(len(tokens), match.group(), start + s, start + e))
    return tokens, normalised


@dataclass
class Chunk:
    """A gazetteer match over tokens [first, last) with the proclitics glued to its first token."""

    first: int
    last: int
    kind: str  # office | country | city
    prefix: str
    office: Office | None = None
    country: CountryHit | None = None
    city: tuple[str, int] | None = None

    @property
    def code(self) -> str | None:
        if self.country:
            return self.country.code
        return self.city[0] if self.city else None


@dataclass
class PersonHit:
    """A name after a title: `name` tokens [name_first, name_last), the title chunk(s) before it."""

    first: int  # first token of the title
    name_first: int
    name_last: int
    title: Office
    title_first: int
    title_last: int
    country: str | None
    prefix: str
    extra_titles: list[Office] = field(default_factory=list)


def _inside_name(tokens: list[Token], i: int) -> bool:
    """A title word that is part of a name: after عبد (عبد الملك is Abd al-Malik, not "the king"), or a bare
    title word after a first name (حسين أمير عبد اللهيان is Hossein Amir-Abdollahian)."""
    if not i or not tokens[i - 1].is_word:
        return False
    previous, word = tokens[i - 1].text, tokens[i].text
    return previous == "عبد" or (not word.startswith("ال") and not previous.startswith("ال")
                                 and known_name_part(previous) is True and known_name_part(word) is True)


def find_chunks(tokens: list[Token], tables: Tables | None = None) -> list[Chunk]:
    """Longest-first gazetteer matches, left to right; the first token may carry proclitics."""
    tables = tables or load_tables()
    chunks: list[Chunk] = []
    i = 0
    while i < len(tokens):
        found = None
        if tokens[i].is_word and not _inside_name(tokens, i):
            for n in range(min(tables.max_phrase, len(tokens) - i), 0, -1):
                words = [t.text for t in tokens[i : i + n]]
                if not all(t.is_word for t in tokens[i : i + n]):
                    continue
                for prefix, base in clitic_variants(words[0]):
                    k = (base, *words[1:])
                    if k in tables.offices:
                        found = Chunk(i, i + n, "office", prefix, office=tables.offices[k])
                    elif k in tables.countries:
                        found = Chunk(i, i + n, "country", prefix, country=tables.countries[k])
                    elif k in tables.cities:
                        found = Chunk(i, i + n, "city", prefix, city=tables.cities[k])
                    if found:
                        break
                if found:
                    break
        if found:
            chunks.append(found)
            i = found.last
        else:
            i += 1
    return chunks


def is_trigger_word(word: str, tables: Tables) -> bool:
    return any(base in tables.triggers for _, base in clitic_variants(word))


def _name_tokens(tokens: list[Token], start: int, taken: set[int], tables: Tables,
                 nisba: set[int] | None = None) -> int:
    """The end of a person's name starting at token `start` (== start when there is none). A country
    adjective with al- after a first name is a family name: محمد شياع السوداني."""
    end, counted = start, 0
    while end < len(tokens) and counted < MAX_NAME_TOKENS:
        token = tokens[end]
        word = token.text
        if nisba and end in nisba and counted >= 1 and word.startswith("ال"):
            return end + 1
        if not token.is_word or end in taken or word in tables.stopwords or (
                is_trigger_word(word, tables) and (word in tables.triggers or known_name_part(word) is not True)):
            # a name that reads as clitic + trigger stays a name: فيصل is no ف + يصل
            break
        if len(word) < 2 and word not in NAME_LINKS:
            break
        if word[0] in _CONJ and end > start and (counted >= 2 or word[1:] in tables.stopwords
                                                 or is_trigger_word(word[1:], tables)):
            break
        if word[0] in _CONJ and end == start and (word in tables.triggers or known_name_part(word) is not True) and (
                word[1:] in tables.stopwords or is_trigger_word(word[1:], tables)):
            break
        end += 1
        if word in NAME_LINKS:
            continue
        counted += 1
        previous = tokens[end - 2].text if end - 2 >= start else ""
        if word.startswith("ال") and end - 1 > start and previous not in NAME_LINKS:
            break  # a nisba or family name with al- closes the name: محمد شياع السوداني
    while end > start and tokens[end - 1].text in NAME_LINKS:
        end -= 1
    if end - start == 1 and tokens[start].text.startswith("ال"):
        return start  # a lone al- word after a title is a noun ("الرئيس الجديد"), not a name
    return end


def find_persons(tokens: list[Token], chunks: list[Chunk], tables: Tables | None = None) -> list[PersonHit]:
    """Persons named after a title: title [rank…] [country adjective / country name] name(2–4 tokens)."""
    tables = tables or load_tables()
    taken = {i for c in chunks for i in range(c.first, c.last)}
    by_first = {c.first: c for c in chunks}
    nisba = {c.first for c in chunks if c.country and c.country.role == "adjective" and c.last == c.first + 1}
    persons: list[PersonHit] = []
    for chunk in chunks:
        office = chunk.office
        if office is None or office.kind not in {"title", "rank"}:
            continue
        if persons and persons[-1].name_first > chunk.first:
            continue  # already part of an earlier title sequence
        position, country, extra = chunk.last, None, []
        title_last = chunk.last
        while position in by_first:  # titles, ranks and countries that continue the title
            nxt = by_first[position]
            if nxt.prefix and nxt.kind != "country":
                break
            if nxt.kind == "country" and nxt.country and nxt.country.role in {"adjective", "name"}:
                country = country or nxt.country.code
            elif nxt.kind == "office" and nxt.office and nxt.office.kind in {"title", "rank", "org"}:
                extra.append(nxt.office)
                if nxt.office.country:
                    country = country or nxt.office.country
            else:
                break
            title_last = position = nxt.last
        name_end = _name_tokens(tokens, position, taken, tables, nisba)
        if name_end == position:
            continue
        if office.priority <= 1 and office.kind == "title" and known_name_part(tokens[position].text) is False:
            continue  # a generic title ("رئيس") before a word that is no name: "رئيس لجنة …"
        # a bare rank (العماد) counts as the title only when no office came first
        title = chunk.office
        persons.append(PersonHit(chunk.first, position, name_end, title, chunk.first, title_last,
                                 country or office.country, chunk.prefix, extra))
    return persons
