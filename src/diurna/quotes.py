"""Direct quotes and their attribution.

Quotes are found in the text by their marks (straight or curly; a quote left open at a paragraph end and
reopened in the next paragraph continues), then attributed through the parse: a cue verb outside the quote
in the same sentence ("said", "told", "added", "according to") gives the speaker as its subject, resolved
by the actor layer ("he added" is the last named person). A quote with no cue of its own continues the
previous quote's speaker when it follows it directly."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from diurna.actors.entities import ActorResolver
from diurna.records import ActorRef, Quote, content_id

CUE_VERBS = {"say", "tell", "add", "stress", "note", "state", "declare", "insist", "warn", "explain",
             "emphasise", "emphasize", "argue", "write", "announce", "affirm", "reaffirm", "assert",
             "confirm", "continue", "conclude", "describe", "claim", "urge", "ask", "reply", "respond",
             "tweet", "post", "comment", "acknowledge", "underline", "highlight", "pledge", "vow"}
MIN_QUOTE_WORDS = 3
_PAIRS = re.compile(r"“([^“”]+)(?:”|(?=\n\n“))|\"([^\"\n]+)\"")


@dataclass
class _QuoteSpan:
    start: int
    end: int


def quote_spans(text: str) -> list[_QuoteSpan]:
    spans = []
    for match in _PAIRS.finditer(text):
        group = 1 if match.group(1) is not None else 2
        start, end = match.span(group)
        inner = text[start:end]
        stripped = inner.strip()
        if len(stripped.split()) < MIN_QUOTE_WORDS:
            continue
        start += len(inner) - len(inner.lstrip())
        spans.append(_QuoteSpan(start, start + len(stripped)))
    return spans


def _sentences_of(doc: Doc, start: int, end: int) -> list[Span]:
    return [s for s in doc.sents if s.start_char < end + 2 and s.end_char > start - 2]


def _cue(sentences: list[Span], quote: _QuoteSpan) -> tuple[Token, Token | None] | None:
    """The cue token outside the quote and the head of its speaker phrase."""
    candidates: list[tuple[int, Token, Token | None]] = []
    for sent in sentences:
        for token in sent:
            if quote.start <= token.idx < quote.end:
                continue
            distance = min(abs(token.idx - quote.end), abs(token.idx - quote.start))
            if token.lemma_.lower() in CUE_VERBS and token.pos_ in {"VERB", "AUX"}:
                subjects = [c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}]
                candidates.append((distance, token, subjects[0] if subjects else None))
            elif token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "to":
                objects = [c for c in token.nbor().children if c.dep_ == "pobj"]
                candidates.append((distance, token, objects[0] if objects else None))
    if not candidates:
        return None
    candidates.sort(key=lambda c: (c[2] is None, c[0]))
    _, cue, speaker = candidates[0]
    return cue, speaker


def find_quotes(text: str, doc: Doc, resolver: ActorResolver, article_id: str) -> list[Quote]:
    quotes: list[Quote] = []
    previous: tuple[ActorRef | None, int] | None = None
    for span in quote_spans(text):
        sentences = _sentences_of(doc, span.start, span.end)
        cue = _cue(sentences, span)
        speaker: ActorRef | None = None
        cue_text = None
        if cue is not None:
            cue_token, speaker_head = cue
            cue_text = cue_token.text if cue_token.lower_ != "according" else "according to"
            refs = resolver.resolve(speaker_head) if speaker_head is not None else []
            speaker = refs[0] if refs else None
        elif previous is not None:
            gap = text[previous[1] : span.start]
            if gap.count("\n\n") <= 1 and len(gap) < 400:
                speaker = previous[0]
        quotes.append(Quote(
            id=content_id(article_id, "quote", span.start, span.end),
            speaker_id=speaker.entity_id if speaker else None,
            speaker_name=speaker.entity_name if speaker else None,
            text=text[span.start : span.end], start=span.start, end=span.end, cue=cue_text,
        ))
        previous = (speaker, span.end)
    return quotes
