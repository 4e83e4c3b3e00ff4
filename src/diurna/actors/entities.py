"""Entities and actor resolution over one parsed article.

`find_entities` turns named-entity spans and dictionary matches into `Entity` records (persons with their
titles, organisations, countries), and `ActorResolver` maps a noun phrase of the parse to PLOVER actor
references (country + sector), which the event coder uses for actor and recipient."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.attrs import DEP, HEAD, IS_PUNCT, IS_SPACE
from spacy.tokens import Doc, Span, Token

from diurna.actors.dictionary import ActorDictionary, KnownActor, fold
from diurna.nlp import sentence_of, sentence_starts, token_table
from diurna.records import ActorRef, Entity, Mention, content_id

PERSON_PRONOUNS = {"he", "she", "him", "her"}
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
# words that give a person's gender in a title or description
GENDER_WORDS = {
    "f": {"spokeswoman", "chairwoman", "congresswoman", "businesswoman", "ms", "mrs", "madam", "madame", "queen",
          "princess", "lady", "dame", "wife", "mother", "daughter", "sister", "widow", "actress", "sheikha"},
    "m": {"spokesman", "chairman", "congressman", "businessman", "mr", "king", "prince", "lord", "sir", "husband",
          "father", "son", "brother", "emir", "sultan", "sheikh", "actor"},
}
ANTECEDENT_WINDOW = 400  # tokens back to look for "the ministry"'s full name
CROWD_WORDS = {"people", "police"}  # plural nouns the tagger takes for singular
NAME_PARTICLES = {"al", "bin", "ibn", "bint", "abu", "el", "ould"}
ROLE_NOUNS = {"minister", "president", "spokesman", "spokeswoman", "spokesperson", "envoy", "ambassador",
              "premier", "chancellor", "commander", "general", "secretary", "chief", "king", "emir", "prince",
              "speaker", "governor", "mayor", "prosecutor", "judge", "leader", "official", "diplomat"}
# nouns that, set beside a name, say it is a person's: "Abdessatar Messaoudi, Zammel's lawyer,"
PERSON_ROLE_NOUNS = ROLE_NOUNS - {"king", "general"} | {"lawyer", "adviser", "advisor", "aide", "analyst",
                                                        "researcher", "activist", "journalist", "negotiator",
                                                        "mediator", "lawmaker", "deputy", "director", "head"}
RANKS = {"lieutenant", "general", "colonel", "major", "brigadier", "admiral", "captain", "marshal", "sergeant"}
ORGANISATION_WORDS = {"company", "corporation", "group", "bank", "council", "party", "front", "movement", "army",
                      "forces", "ministry", "agency", "authority", "committee", "commission", "union", "league"}
FUNCTION_POS = {"DET", "ADP", "PRON", "CCONJ", "SCONJ", "AUX", "PART", "PUNCT", "NUM"}
QUOTE_MARKS = {'"', "“", "”"}
OPENING_QUOTES = {"“"}
GROUP_PRONOUNS = {"it", "they", "them"}
# Modifiers that make up an actor phrase; relative clauses and other clauses are left out on purpose:
# "the army, which had shelled the town" must not take the town's country.
PHRASE_DEPS = {"compound", "amod", "poss", "nmod", "appos", "det", "case", "nummod", "prep", "pobj", "agent",
               "acl", "flat", "punct", "cc", "conj"}
ACTOR_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP"}


@dataclass
class _Mentioned:
    entity: Entity
    country_code: str | None
    sector_code: str | None


@dataclass
class DocActors:
    """Per-document index: which entity each token belongs to, and which sector phrase it starts."""

    doc: Doc
    entities: dict[str, Entity] = field(default_factory=dict)
    token_entity: dict[int, str] = field(default_factory=dict)
    token_sector: dict[int, tuple[str, int, int]] = field(default_factory=dict)  # start -> (code, prio, end)
    country_of_entity: dict[str, str | None] = field(default_factory=dict)
    people_by_surname: dict[str, str] = field(default_factory=dict)


@dataclass
class _PersonMention:
    token: int  # the head token of the name
    entity_id: str
    sentence: int
    subject: bool


def _is_active_subject(token: Token) -> bool:
    return token.dep_ == "nsubj" or (token.dep_ == "appos" and token.head.dep_ == "nsubj")


def _person_genders(index: DocActors, people: list[_PersonMention]) -> dict[str, str]:
    """Gender evidence from the text itself: a gendered title ("spokeswoman", "Mrs") next to the name, or a
    gendered pronoun after a person who is a subject, before the next person is named ("X denied that her
    troops ...")."""
    evidence: dict[str, set[str]] = {}
    doc = index.doc
    for entity_id, entity in index.entities.items():
        if entity.type != "person":
            continue
        words = {w.casefold().strip(".") for title in entity.titles for w in title.split()}
        for gender, gendered in GENDER_WORDS.items():
            if words & gendered:
                evidence.setdefault(entity_id, set()).add(gender)
    for n, mention in enumerate(people):
        following = people[n + 1] if n + 1 < len(people) else None
        sentence = sentence_of(doc[mention.token])
        end = following.token if following is not None and following.sentence == mention.sentence else sentence.end
        pronoun = next((t for t in doc[mention.token + 1 : end] if t.lower_ in PRONOUN_GENDER
                        and t.pos_ == "PRON"), None)
        if pronoun is not None and mention.subject:
            evidence.setdefault(mention.entity_id, set()).add(PRONOUN_GENDER[pronoun.lower_])
    return {entity_id: next(iter(genders)) for entity_id, genders in evidence.items() if len(genders) == 1}


def _entity_id(kind: str, key: str) -> str:
    return content_id("entity", kind, key)


def _sector_matches(doc: Doc, dictionary: ActorDictionary) -> dict[int, tuple[str, int, int]]:
    """Longest sector phrase starting at each token, matched on the words as written or on their lemmas."""
    matches: dict[int, tuple[str, int, int]] = {}
    prefixes, sectors = dictionary.sector_prefixes, dictionary.sectors
    # token attributes read once: spaCy builds a Python object for every doc[i]
    table = token_table(doc)
    written = [fold(text) for text in table.text]
    lemma_words = table.lemma
    lemma_keys = [fold(lemma) for lemma in lemma_words]
    edge = (doc.to_array([IS_PUNCT, IS_SPACE]).sum(axis=1) > 0).tolist()
    n = len(doc)
    i = 0
    while i < n:
        best: tuple[str, int, int] | None = None
        as_written, lemmas = written[i], lemma_keys[i]
        end = i + 1
        while as_written in prefixes or lemmas in prefixes:
            if not (edge[i] or edge[end - 1]):
                found = sectors.get(as_written) or sectors.get(lemmas)
                if found:
                    best = (found[0], found[1], end)
            if end == n:
                break
            as_written = fold(doc[i : end + 1].text)
            lemmas = fold(" ".join(lemma_words[i : end + 1]))
            end += 1
        if best:
            matches[i] = best
            i = best[2]
        else:
            i += 1
    return matches


def _dictionary_matches(doc: Doc, dictionary: ActorDictionary) -> list[tuple[Span, KnownActor]]:
    """Longest phrase matches; only capitalised phrases, so "us" never means the United States."""
    found: list[tuple[Span, KnownActor]] = []
    prefixes = dictionary.phrase_prefixes
    i = 0
    while i < len(doc):
        best: tuple[Span, KnownActor] | None = None
        if doc[i].text[:1].isupper():
            first = doc[i].text
            if first.endswith("s") and len(first) > 1:  # "Iraqis", "Houthis": the plural of a known name
                singular = dictionary.lookup(first[:-1])
                if singular is not None:
                    best = (doc[i : i + 1], singular)
            end = i + 1
            key = fold(first)
            while key in prefixes:
                actor = dictionary.phrases.get(key)
                if actor is not None and not doc[end - 1].is_punct:
                    best = (doc[i:end], actor)
                if end == len(doc):
                    break
                end += 1
                key = fold(doc[i:end].text)
        if best:
            found.append(best)
            i = best[0].end
        else:
            i += 1
    return found


def _country_and_sector(tokens: list[Token], index: DocActors, dictionary: ActorDictionary,
                        skip: set[int] | None = None) -> tuple[str | None, str | None, list[str]]:
    country = None
    sectors: list[tuple[int, str]] = []
    for token in tokens:
        if skip and token.i in skip:
            continue
        entity_id = index.token_entity.get(token.i)
        if entity_id and country is None:
            country = index.country_of_entity.get(entity_id)
        if token.i in index.token_sector:
            code, priority, _ = index.token_sector[token.i]
            sectors.append((priority, code))
    ordered = [code for _, code in sorted(sectors, key=lambda item: -item[0])]
    unique = list(dict.fromkeys(ordered))
    return country, (unique[0] if unique else None), unique[1:]


def _whole_name(ent: Span, taken: set[int]) -> Span:
    """The model often stops a name at a particle: "Sheikh Mohammed bin Abdulrahman [Al Thani]". The name
    runs on over a particle and the capitalised name words after it."""
    doc = ent.doc

    def name_word(i: int) -> bool:
        return (i < len(doc) and i not in taken and doc[i].text[:1].isupper()
                and doc[i].ent_type_ in {"", "PERSON"} and doc[i].pos_ in {"PROPN", "NOUN"})

    end = ent.end
    while end < len(doc) and doc[end].lower_ in NAME_PARTICLES and end not in taken:
        after = end + 2 if end + 1 < len(doc) and doc[end + 1].text == "-" else end + 1  # "al - Thani"
        if not name_word(after):
            break
        end = after + 1
        while name_word(end):
            end += 1
    return doc[ent.start : end] if end > ent.end else ent


def _person_in_organisation(ent: Span) -> Span | None:
    """The person's name in what the tagger calls an organisation: after a title ("deputy US envoy Morgan
    Ortagus"), a rank or the rest of a title inside the span ("Lieutenant General Maly Socheata", "Secretary of
    State Molly Phee"), or naming a role ("the spokesperson, Christophe Lemoine,")."""
    k = 0
    while k < len(ent) and (ent[k].lower_ in RANKS or (ent[k].dep_ == "pobj" and ent[k].head.lower_ == "of"
                                                        and ent[k].head.head.lemma_.lower() in ROLE_NOUNS)):
        k += 1
    name = ent[k:]
    if not (2 <= len(name) <= 3 and all(t.pos_ == "PROPN" and t.is_title for t in name)) or \
            name[-1].lower_ in ORGANISATION_WORDS:
        return None
    before = ent.doc[name.start - 1] if name.start else None
    titled = k > 0 or (before is not None and before.lemma_.lower() in ROLE_NOUNS and before.dep_ == "compound")
    named = name.root.dep_ == "appos" and name.root.head.lemma_.lower() in ROLE_NOUNS
    return name if titled or named else None


def _untagged_named_roles(doc: Doc) -> list[Span]:
    """Names the tagger left unlabelled that an appositive says are a person: "Abdessatar Messaoudi,
    Zammel's lawyer, told reporters"."""
    found = []
    if not len(doc):
        return found
    lemmas = token_table(doc).lemma
    appos = doc.vocab.strings["appos"]
    for i in (doc.to_array(DEP) == appos).nonzero()[0].tolist():
        if lemmas[i] not in PERSON_ROLE_NOUNS:
            continue
        token = doc[i]
        if token.head.ent_type_:
            continue
        name = token.head
        start = name.i
        while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head == name and \
                doc[start - 1].pos_ == "PROPN" and not doc[start - 1].ent_type_:
            start -= 1
        span = doc[start : name.i + 1]
        if 2 <= len(span) <= 3 and all(t.pos_ == "PROPN" and t.is_title for t in span):
            found.append(Span(doc, span.start, span.end, label="PERSON"))
    return found


def _title_tokens(span: Span) -> list[Token]:
    """Title words in front of a name: "Syrian President Ahmed al-Sharaa", "intelligence chief Hamid X"."""
    tokens: list[Token] = []
    i = span.start - 1
    while i >= 0:
        token = span.doc[i]
        if token.ent_type_ == "PERSON" or token.is_punct or token.pos_ in {"VERB", "AUX", "ADP", "DET", "PRON"}:
            break
        if token.pos_ not in {"PROPN", "NOUN", "ADJ"} and token.text.lower() != "'s":
            break
        tokens.insert(0, token)
        i -= 1
    return tokens


def _appositive_title(span: Span) -> list[Token]:
    """ "Fuad Hussein, Iraq's foreign minister," — the appositive that follows a name."""
    for token in span.root.children:
        if token.dep_ == "appos" and token.i > span.end - 1:
            return [t for t in token.subtree if t.dep_ not in {"relcl", "punct"}]
    return []


def find_entities(doc: Doc, dictionary: ActorDictionary, lang: str = "en") -> DocActors:
    index = DocActors(doc=doc)
    index.token_sector = _sector_matches(doc, dictionary)

    def register(kind: str, key: str, name: str, etype: str, span: Span, country: str | None,
                 sector: str | None, titles: list[str] | None = None, others: list[str] | None = None) -> str:
        entity_id = _entity_id(kind, key)
        entity = index.entities.get(entity_id)
        if entity is None:
            entity = Entity(id=entity_id, name=name, type=etype, country_code=country, sector_code=sector,
                            other_sector_codes=others or [], titles=titles or [])
            index.entities[entity_id] = entity
            index.country_of_entity[entity_id] = country
        else:
            if entity.country_code is None and country:
                entity.country_code = country
                index.country_of_entity[entity_id] = country
            if entity.sector_code is None and sector:
                entity.sector_code = sector
            for title in titles or []:
                if title not in entity.titles:
                    entity.titles.append(title)
        entity.mentions.append(Mention(start=span.start_char, end=span.end_char, text=span.text, lang=lang))
        for token in span:
            index.token_entity[token.i] = entity_id
        return entity_id

    taken: set[int] = set()
    # a multi-word person name wins over a dictionary word inside it ("Aden Duale" is no Yemeni city)
    person_tokens = {t.i for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1 for t in ent}
    for span, actor in _dictionary_matches(doc, dictionary):
        if any(t.i in person_tokens for t in span):
            continue
        if actor.type == "country":
            register("country", actor.country_code or actor.name, actor.name, "country", span,
                     actor.country_code, None)
            if actor.role == "capital" and actor.sector_code:
                # a capital as metonym: "Baghdad and Damascus agreed" are the two governments
                index.token_sector.setdefault(span.start, (actor.sector_code, 0, span.end))
        else:
            register(actor.type, fold(actor.name), actor.name,
                     actor.type if actor.type in {"person", "organization", "group"} else "organization",
                     span, actor.country_code, actor.sector_code)
        taken.update(t.i for t in span)

    people_by_surname = index.people_by_surname
    for ent in [*doc.ents, *_untagged_named_roles(doc)]:
        if ent.label_ not in {"PERSON", "ORG"} or any(t.i in taken for t in ent):
            continue
        if ent.label_ == "PERSON":
            ent = _whole_name(ent, taken)
        if ent.label_ == "ORG" and (name := _person_in_organisation(ent)) is not None:
            ent = Span(doc, name.start, name.end, label="PERSON")
        if ent.label_ == "ORG":
            country, sector, others = _country_and_sector(list(ent), index, dictionary)
            if country is None:
                country, _, _ = _country_and_sector(_title_tokens(ent), index, dictionary)
            register("organization", fold(ent.text), ent.text, "organization", ent, country, sector, None, others)
            continue
        words = ent.text.split()
        if len(words) == 1 and fold(words[0]) in people_by_surname:
            entity = index.entities[people_by_surname[fold(words[0])]]
            entity.mentions.append(Mention(start=ent.start_char, end=ent.end_char, text=ent.text, lang=lang))
            for token in ent:
                index.token_entity[token.i] = entity.id
            continue
        title_tokens = _title_tokens(ent) or _appositive_title(ent)
        country, sector, others = _country_and_sector(title_tokens, index, dictionary)
        title = " ".join(t.text for t in title_tokens if t.i not in index.token_entity or
                         index.entities[index.token_entity[t.i]].type != "country").strip()
        title = title.removeprefix("'s ").strip()
        known = dictionary.person(ent.text)
        if known is not None:  # the text's own title words come first; the table fills what they leave out
            country, sector = country or known.country_code, sector or known.sector_code
            title = title or known.title
        entity_id = register("person", fold(ent.text), ent.text, "person", ent, country, sector,
                             [title] if title else [], others)
        people_by_surname.setdefault(fold(words[-1]), entity_id)
    return index


class ActorResolver:
    """Maps an argument token of the parse to actor references (one per conjunct)."""

    def __init__(self, index: DocActors, dictionary: ActorDictionary):
        self.index = index
        self.dictionary = dictionary
        # document-level antecedents: people named outside quotation marks, and the last collective actor
        self._resolved: list[tuple[int, str, ActorRef]] = []  # (offset, head lemma, ref) for "the ministry"
        self._people: list[_PersonMention] = []
        self._last_group: dict[int, str | None] = {}
        self._memo: dict[int, ActorRef | None] = {}
        last_group = None
        quoted = False
        self._quoted: set[int] = set()
        doc = index.doc
        table = token_table(doc)
        heads = doc.to_array(HEAD).tolist() if len(doc) else []  # relative to the token
        deps = doc.to_array(DEP).tolist() if len(doc) else []
        group_deps = {doc.vocab.strings[d] for d in ("nsubj", "nsubjpass", "poss")}
        for i, text in enumerate(table.text):
            self._last_group[i] = last_group
            if text in QUOTE_MARKS:
                quoted = not quoted if text == '"' else text in OPENING_QUOTES
                continue
            if "\n" in text:
                quoted = False  # a quote left open at a paragraph end is reopened with a new mark
            if quoted:
                self._quoted.add(i)
            entity_id = index.token_entity.get(i)
            if entity_id is None and text.istitle() and table.pos[i] not in FUNCTION_POS:
                # "Pashinyan told the nation"; the tagger reads some surnames as verbs ("Saied insisted") or
                # adverbs ("On March 3, Bathily urged")
                entity_id = index.people_by_surname.get(fold(text))
            if entity_id and index.entities[entity_id].type == "person":
                if not quoted and (heads[i] == 0 or index.token_entity.get(i + heads[i]) != entity_id):
                    token = doc[i]
                    self._people.append(_PersonMention(i, entity_id, sentence_of(token).start,
                                                       _is_active_subject(token)))
            elif entity_id and deps[i] in group_deps:
                last_group = entity_id
        self._gender = _person_genders(index, self._people)
        self._sentence_ordinal = {sentence.start: n for n, sentence in enumerate(index.doc.sents)}

    def conjuncts(self, token: Token) -> list[Token]:
        return [token, *[t for t in token.conjuncts if t.i > token.i]]

    def phrase_tokens(self, head: Token) -> list[Token]:
        tokens = [head]
        stack = [c for c in head.children if c.dep_ in PHRASE_DEPS and c.dep_ not in {"conj", "cc"}]
        while stack:
            token = stack.pop()
            if token.dep_ == "acl" and token.lemma_ not in {"lead", "head"}:
                continue
            tokens.append(token)
            stack.extend(c for c in token.children if c.dep_ in PHRASE_DEPS and c.dep_ not in {"conj", "cc"})
        return sorted(tokens, key=lambda t: t.i)

    def resolve(self, head: Token) -> list[ActorRef]:
        refs = []
        for conjunct in self.conjuncts(head):
            # the coder asks about the same argument for several triggers; "the ministry" is asked afresh, as
            # what it refers back to depends on what has been resolved so far
            if self.is_bare_definite(conjunct):
                ref = self._resolve_one(conjunct)
            else:
                ref = self._memo_resolve(conjunct)
                ref = ref.model_copy() if ref is not None else None  # later stages fill each event's copy
            if ref is not None and all(r.entity_id != ref.entity_id or r.raw_text != ref.raw_text for r in refs):
                refs.append(ref)
        return refs

    def _memo_resolve(self, token: Token) -> ActorRef | None:
        if token.i not in self._memo:
            self._memo[token.i] = self._resolve_one(token)
        return self._memo[token.i]

    def definite_antecedent(self, head: Token) -> Token | None:
        """The nearest earlier noun with the same lemma that has words of its own: "the Taqaddum party" for
        "the party"."""
        lemma = head.lemma_.lower()
        index = self.index
        for token in reversed(index.doc[max(0, head.i - ANTECEDENT_WINDOW) : head.i]):
            # the tagger calls "ministry" in "The Iraqi foreign ministry" a proper noun now and then
            if token.pos_ in {"NOUN", "PROPN"} and token.lemma_.lower() == lemma and not self.is_bare_definite(token):
                # "spokeswoman Maria Zakharova", "French nuclear fuel group Orano": the noun in front of a name
                # stands for what the name names
                if token.dep_ in {"compound", "appos"} and (self.is_person(token.head) or (
                        token.i not in self.index.token_entity and self.is_named_organisation(token.head))):
                    return token.head
                return token
        if lemma in ROLE_NOUNS:
            # "Hakan Fidan met ... 'We share the same concerns,' the minister said": the last person whose
            # title has that word
            for mention in reversed([m for m in self._people if m.token < head.i]):
                titles = " ".join(index.entities[mention.entity_id].titles).lower()
                if lemma in titles.split():
                    return index.doc[mention.token]
        return None

    def is_person(self, token: Token) -> bool:
        entity_id = self.index.token_entity.get(token.i)
        return entity_id is not None and self.index.entities[entity_id].type == "person"

    def is_quoted(self, token: Token) -> bool:
        """Inside quotation marks: the quoted speaker's words, not the narrative."""
        return token.i in self._quoted

    def is_named_organisation(self, token: Token) -> bool:
        entity_id = self.index.token_entity.get(token.i)
        return entity_id is not None and self.index.entities[entity_id].type in {"organization", "group"}

    def group_antecedent(self, pronoun: Token) -> Token | None:
        """What "it"/"they" refers to: the last noun subject before it (in this or the two sentences before)
        that is no person and no pronoun ("The military's media wing said ... It warned ...")."""
        doc = self.index.doc
        starts = sentence_starts(doc)
        first_sentence = starts[max(0, starts[pronoun.i] - 1)]
        first_sentence = starts[max(0, first_sentence - 1)]
        for token in reversed(doc[first_sentence : pronoun.i]):
            if (token.dep_ not in {"nsubj", "nsubjpass"} or token.pos_ not in {"NOUN", "PROPN"}
                    or token.i in self._quoted):
                continue
            entity_id = self.index.token_entity.get(token.i)
            if entity_id and self.index.entities[entity_id].type == "person":
                continue
            if any(a.i == pronoun.head.i for a in token.ancestors):
                continue  # "Israel had made no commitment, it said": who speaks is not what the words are about
            if (token.tag_ in {"NNS", "NNPS"} or token.lower_ in CROWD_WORDS) != (pronoun.lower_ in {"they", "them"}):
                continue  # "it" names one thing, "they" a plural
            return token
        return None

    def person_antecedent(self, pronoun: Token) -> str | None:
        """The person "he"/"she"/"his"/"her" refers to, among the people named before it outside quotes whose
        gender the text does not contradict: the nearest, counting sentences back from the pronoun, where
        being the active subject of a clause counts one sentence nearer (ties go to the later mention)."""
        gender = PRONOUN_GENDER.get(pronoun.lower_)
        before = [m for m in self._people if m.token < pronoun.i
                  and self._gender.get(m.entity_id, gender) == gender]
        if not before:
            return None
        ordinal = self._sentence_ordinal
        here = ordinal[sentence_of(pronoun).start]
        best = min(reversed(before), key=lambda m: here - ordinal[m.sentence] - (1 if m.subject else 0))
        return best.entity_id

    def _resolve_one(self, head: Token) -> ActorRef | None:
        index = self.index
        surname = index.people_by_surname.get(fold(head.text)) if head.pos_ == "PROPN" else None
        if head.lower_ in PERSON_PRONOUNS or head.lower_ in GROUP_PRONOUNS or (
                surname and head.i not in index.token_entity):
            if not surname and head.lower_ in GROUP_PRONOUNS:
                antecedent = self.group_antecedent(head)
                ref = self._memo_resolve(antecedent) if antecedent is not None else None
                if ref is not None:
                    return ref.model_copy(update={"raw_text": head.text})
            entity_id = surname or (self.person_antecedent(head) if head.lower_ in PERSON_PRONOUNS
                                    else self._last_group.get(head.i))
            if entity_id is None:
                return None
            entity = index.entities[entity_id]
            return self._ref(entity, head.text, entity.country_code, entity.sector_code, entity.other_sector_codes)
        if head.pos_ == "PRON":
            return None
        owner = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in {"his", "her"}), None)
        if owner is not None and head.pos_ == "NOUN" and not any(
                c.dep_ in {"compound", "amod"} for c in head.children):
            # "his office", "her spokesman": the person the pronoun refers to
            entity_id = self.person_antecedent(owner)
            if entity_id is not None:
                entity = index.entities[entity_id]
                return self._ref(entity, index.doc[owner.i : head.i + 1].text, entity.country_code,
                                 entity.sector_code, entity.other_sector_codes)
        if self.is_bare_definite(head):
            # the nearest earlier phrase with the same head noun ("the Egyptian foreign ministry" ... "the ministry")
            named = self.definite_antecedent(head)
            ref = self._memo_resolve(named) if named is not None else None
            if ref is not None:
                return ref.model_copy()
            earlier = max(((at, ref) for at, lemma, ref in self._resolved if lemma == head.lemma_.lower()
                           and at < head.idx), key=lambda item: item[0], default=None)
            if earlier is not None:
                return earlier[1].model_copy()
        tokens = self.phrase_tokens(head)
        chosen: Entity | None = None
        rank = {"person": 0, "organization": 1, "group": 1, "country": 2}
        for token in tokens:
            entity_id = index.token_entity.get(token.i)
            if entity_id is None:
                continue
            entity = index.entities[entity_id]
            if chosen is None or rank[entity.type] < rank[chosen.type]:
                chosen = entity
        country, sector, others = _country_and_sector(tokens, index, self.dictionary)
        if chosen is not None:
            country = chosen.country_code or country
            if chosen.sector_code:
                others = [s for s in [sector, *others] if s and s != chosen.sector_code]
                sector = chosen.sector_code
        if chosen is None and country is None and sector is None and head.pos_ not in {"NOUN", "PROPN"}:
            return None
        raw = index.doc[tokens[0].i : tokens[-1].i + 1].text
        if chosen is None:
            chosen = self._group_entity(index.doc[tokens[0].i : tokens[-1].i + 1], country, sector)
        ref = self._ref(chosen, raw, country, sector, others)
        if country is not None:
            self._resolved.append((head.idx, head.lemma_.lower(), ref))
        return ref

    @staticmethod
    def is_bare_definite(head: Token) -> bool:
        """ "the ministry", "the spokesman": a definite noun with no name or modifier of its own."""
        if head.pos_ != "NOUN":
            return False
        modifiers = [c for c in head.children if c.dep_ in {"compound", "amod", "poss", "nmod", "prep", "appos"}]
        return not modifiers and any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in head.children)

    def _group_entity(self, span: Span, country: str | None, sector: str | None) -> Entity:
        """An unnamed actor ("Turkish jets", "protesters") becomes a group entity keyed by what it codes to."""
        country_name = self.dictionary.country_name(country)
        name = " ".join(part for part in (country_name, sector) if part) or span.text
        entity_id = _entity_id("group", f"{country}/{sector}/{name}")
        entity = self.index.entities.get(entity_id)
        if entity is None:
            entity = Entity(id=entity_id, name=name, type="group", country_code=country, sector_code=sector)
            self.index.entities[entity_id] = entity
        if not any(m.start == span.start_char and m.end == span.end_char for m in entity.mentions):
            entity.mentions.append(Mention(start=span.start_char, end=span.end_char, text=span.text))
        return entity

    @staticmethod
    def _ref(entity: Entity, raw: str, country: str | None, sector: str | None, others: list[str]) -> ActorRef:
        return ActorRef(entity_id=entity.id, raw_text=raw, entity_name=entity.name, country_code=country,
                        sector_code=sector, other_sector_codes=list(dict.fromkeys(o for o in others if o)))
