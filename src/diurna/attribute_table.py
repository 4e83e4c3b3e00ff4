"""The English model's attribute ruler (tag -> part of speech and morphology, a few word exceptions) and rule
lemmatizer, applied from lookup tables instead of spaCy's `Matcher` and token-by-token loop.

spaCy's `AttributeRuler` runs every pattern over every token and builds a `Span` per match; on a news article
that is a tenth of the whole pipeline's time. The rules are simple (one or two tokens; equality, `IN`,
`NOT_IN` or `REGEX` on TAG, LOWER, DEP, IS_SPACE), so they can be looked up by the token's tag and lower-case
form. The result is the same: every rule that matches sets its attributes, later rules over earlier ones, as
spaCy orders them. A model whose ruler uses anything else keeps spaCy's own component
(`AttributeTable.compile` returns None). `tests/test_nlp.py` checks that both tables agree with spaCy token
for token. Together they take about a tenth off the English pipeline's time."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise, product

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

_CONDITION_ATTRS = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "IS_SPACE": IS_SPACE}
_ARRAY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]
_COLUMN = {name: i for i, name in enumerate(_CONDITION_ATTRS)}
_INDEX_ORDER = [(_COLUMN["TAG"], _COLUMN["LOWER"]), (_COLUMN["TAG"],), (_COLUMN["LOWER"],), (_COLUMN["DEP"],),
                (_COLUMN["IS_SPACE"],)]
# attributes written through one `Doc.from_array` call; DEP needs its heads, so it is set token by token
_WRITTEN = {"POS": POS, "TAG": TAG, "LEMMA": LEMMA, "MORPH": MORPH}
_WRITTEN_ATTRS = list(_WRITTEN.values())
_COLUMNS_WRITTEN = [*_WRITTEN, "DEP"]
_DEP_COLUMN = _COLUMNS_WRITTEN.index("DEP")
_ROW_CACHE_SIZE = 50_000  # distinct rows remembered per table (about 10 MB at most): memory stays flat
_LEMMA_KEY = [ORTH, POS, MORPH, LEMMA]


class Unsupported(ValueError):
    """A ruler pattern this table cannot express."""


@dataclass(frozen=True)
class _Test:
    column: int
    equals: int | None = None
    one_of: frozenset[int] | None = None
    none_of: frozenset[int] | None = None
    regex: re.Pattern | None = None

    def passes(self, value: int) -> bool:
        if self.equals is not None:
            return value == self.equals
        if self.one_of is not None:
            return value in self.one_of
        return value not in self.none_of


@dataclass(frozen=True)
class _Rule:
    order: int
    tests: tuple[tuple[_Test, ...], ...]  # one tuple of tests per token of the pattern
    target: int  # which token of the match takes the attributes
    values: tuple[tuple[int, int | str], ...]  # (column of _COLUMNS_WRITTEN, value as spaCy stores it)


def _hash(vocab: Vocab, name: str, value: str | bool) -> int:
    if name == "IS_SPACE":
        return int(bool(value))
    return vocab.strings.add(value) if value else 0


def _test(vocab: Vocab, name: str, spec: object) -> _Test:
    if name not in _CONDITION_ATTRS:
        raise Unsupported(name)
    column = _COLUMN[name]
    if not isinstance(spec, dict):
        return _Test(column, equals=_hash(vocab, name, spec))
    if len(spec) != 1:
        raise Unsupported(str(spec))
    (operator, value), = spec.items()
    if operator == "IN":
        return _Test(column, one_of=frozenset(_hash(vocab, name, v) for v in value))
    if operator == "NOT_IN":
        return _Test(column, none_of=frozenset(_hash(vocab, name, v) for v in value))
    if operator == "REGEX" and name == "LOWER":
        return _Test(column, regex=re.compile(value))
    raise Unsupported(operator)


class _RuleIndex:
    """Rules filed under the values their first token must have, on the most telling columns that name a
    finite set of values; a token's row looks its values up in each index."""

    def __init__(self) -> None:
        self.indexes: dict[tuple[int, ...], dict[tuple[int, ...], list[_Rule]]] = {}
        self.anywhere: list[_Rule] = []

    def file(self, rule: _Rule) -> None:
        finite = {t.column: ({t.equals} if t.equals is not None else t.one_of) for t in rule.tests[0]
                  if t.equals is not None or t.one_of is not None}
        for columns in _INDEX_ORDER:
            if all(c in finite for c in columns):
                index = self.indexes.setdefault(columns, defaultdict(list))
                for key in product(*(sorted(finite[c]) for c in columns)):
                    index[key].append(rule)
                return
        self.anywhere.append(rule)

    def candidates(self, row: tuple[int, ...]) -> list[_Rule]:
        found = list(self.anywhere)
        for columns, index in self.indexes.items():
            found += index.get(tuple(row[c] for c in columns), ())
        return found


class AttributeTable:
    def __init__(self, vocab: Vocab, patterns: list[dict]) -> None:
        self.vocab = vocab
        # one-token rules depend on the token alone: which of them apply is worked out once per distinct
        # (tag, lower, dep, is_space) and remembered
        self.single = _RuleIndex()
        self.multi = _RuleIndex()
        for order, entry in enumerate(patterns):
            if not set(entry["attrs"]) <= {*_WRITTEN, "DEP"}:
                raise Unsupported(str(entry["attrs"]))
            values = tuple((_COLUMNS_WRITTEN.index(name), self._value(name, value))
                           for name, value in entry["attrs"].items())
            for pattern in entry["patterns"]:
                tests = tuple(tuple(_test(vocab, name, spec) for name, spec in token.items()) for token in pattern)
                rule = _Rule(order, tests, entry["index"] % len(pattern), values)
                (self.single if len(tests) == 1 else self.multi).file(rule)
        self._regex_cache: dict[tuple[int, int], bool] = {}
        self._by_row: dict[tuple[int, ...], tuple[_Rule, ...]] = {}

    def _value(self, name: str, value: str) -> int | str:
        if name == "MORPH":
            return self.vocab.morphology.add(value)
        if name == "POS":
            return POS_IDS[value]
        if name == "DEP":
            return value  # set through the token, keeping its head
        return self.vocab.strings.add(value)

    @classmethod
    def compile(cls, ruler: AttributeRuler) -> AttributeTable | None:
        """The table for a model's ruler, or None when a pattern needs spaCy's `Matcher`."""
        try:
            return cls(ruler.vocab, ruler.patterns)
        except Unsupported:
            return None

    def _passes(self, test: _Test, value: int) -> bool:
        if test.regex is None:
            return test.passes(value)
        key = (id(test), value)
        found = self._regex_cache.get(key)
        if found is None:
            found = test.regex.search(self.vocab.strings[value]) is not None
            if len(self._regex_cache) < _ROW_CACHE_SIZE:
                self._regex_cache[key] = found
        return found

    def _matches(self, rows: list[tuple[int, ...]], i: int, rule: _Rule) -> bool:
        if i + len(rule.tests) > len(rows):
            return False
        return all(self._passes(test, rows[i + k][test.column]) for k, tests in enumerate(rule.tests)
                   for test in tests)

    def _single_rules(self, row: tuple[int, ...]) -> tuple[_Rule, ...]:
        rules = self._by_row.get(row)
        if rules is None:
            rules = tuple(sorted((r for r in self.single.candidates(row) if self._matches([row], 0, r)),
                                 key=lambda r: r.order))
            if len(self._by_row) < _ROW_CACHE_SIZE:
                self._by_row[row] = rules
        return rules

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = [tuple(row) for row in doc.to_array(_ARRAY_ATTRS).astype(numpy.uint64).tolist()]
        hits: list[tuple[_Rule, ...]] = [self._single_rules(row) for row in rows]
        for i, row in enumerate(rows):
            for rule in self.multi.candidates(row):
                if self._matches(rows, i, rule):
                    hits[i + rule.target] = (*hits[i + rule.target], rule)
        columns = doc.to_array(_WRITTEN_ATTRS).T.tolist()
        dependencies: dict[int, str] = {}
        for i, rules in enumerate(hits):
            if len(rules) > 1 and any(a.order > b.order for a, b in pairwise(rules)):
                rules = sorted(rules, key=lambda r: r.order)  # later rules win, as spaCy orders them
            for rule in rules:
                for column, value in rule.values:
                    if column == _DEP_COLUMN:
                        dependencies[i] = value
                    else:
                        columns[column][i] = value
        doc.from_array(_WRITTEN_ATTRS, numpy.array(columns, dtype=numpy.uint64).T)
        for i, value in dependencies.items():
            doc[i].dep_ = value
        return doc


class LemmaTable:
    """The model's rule lemmatizer, looked up once per distinct (word, part of speech, morphology).

    spaCy's `Lemmatizer` walks the document token by token and, for base forms and some others, works the
    lemma out afresh each time. Its rules depend on nothing but the word, its part of speech and its
    morphology, so each distinct triple is lemmatized once, by the model's own lemmatizer, and remembered."""

    def __init__(self, lemmatizer: Lemmatizer | None) -> None:
        self.lemmatizer = lemmatizer
        self.lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        lemmatizer = self.lemmatizer
        if not len(doc) or not getattr(lemmatizer, "_validated", False):  # its first call checks its tables
            return lemmatizer(doc)
        rows = doc.to_array(_LEMMA_KEY).tolist()
        strings, lemmas = self.vocab.strings, self.lemmas
        column = []
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma == 0:
                lemma = lemmas.get((orth, pos, morph))
                if lemma is None:
                    lemma = strings.add(lemmatizer.lemmatize(doc[i])[0])
                    if len(lemmas) < _ROW_CACHE_SIZE:
                        lemmas[(orth, pos, morph)] = lemma
            column.append(lemma)
        doc.from_array([LEMMA], numpy.array(column, dtype=numpy.uint64).reshape(-1, 1))
        return doc

    @property
    def vocab(self) -> Vocab:
        return self.lemmatizer.vocab


@Language.factory("diurna_lemma_table")
def make_lemma_table(nlp: Language, name: str) -> LemmaTable:
    # `install` hands it the model's own lemmatizer, tables loaded, in place of the component it replaces
    return LemmaTable(None)


@Language.factory("diurna_attribute_table", default_config={"patterns": []})
def make_attribute_table(nlp: Language, name: str, patterns: list[dict]) -> AttributeTable:
    return AttributeTable(nlp.vocab, patterns)


def install(nlp: Language) -> bool:
    """Put the tables in place of the model's `attribute_ruler` and rule `lemmatizer`; False (and spaCy's
    ruler kept) when the table cannot express the model's rules."""
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
    if isinstance(lemmatizer, Lemmatizer) and lemmatizer.mode == "rule" and not lemmatizer.overwrite:
        nlp.replace_pipe("lemmatizer", "diurna_lemma_table").lemmatizer = lemmatizer
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    if AttributeTable.compile(ruler) is None:
        return False
    nlp.replace_pipe("attribute_ruler", "diurna_attribute_table", config={"patterns": ruler.patterns})
    return True
