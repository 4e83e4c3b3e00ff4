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
from diurna.records import ActorRef, Post, Quote, Segment, content_id

CUE_VERBS = {"say", "tell", "add", "stress", "note", "state", "declare", "insist", "warn", "explain",
             "emphasise", "emphasize", "argue", "write", "announce", "affirm", "reaffirm", "assert",
             "confirm", "conclude", "describe", "claim", "urge", "ask", "reply",
             "tweet", "post", "comment", "acknowledge", "underline", "highlight", "pledge", "vow", "call",
             "condemn", "accuse", "reject", "welcome", "denounce", "dismiss", "brand", "criticise", "criticize",
             "praise", "hail", "label", "term", "publish", "issue", "release", "share"}
RELATIVE_PRONOUNS = {"who", "which", "that"}
STATEMENT_NOUNS = {"statement", "communique", "communiqué", "declaration", "release", "post", "message"}
PRONOUNS = {"it", "they", "he", "she", "we"}
# a person's office speaks for them: "His office said", "Al-Sharaa's office published a statement:"
OFFICE_NOUNS = {"office", "spokesman", "spokeswoman", "spokesperson", "aide", "adviser", "advisor", "camp"}
# verbs that only report speech: preferred over verbs that also do something ("condemned ... as '...'")
SPEECH_CUES = {"say", "tell", "add", "state", "write", "note", "stress", "declare", "explain", "insist",
               "tweet", "post", "comment", "reply", "emphasise", "emphasize", "underline", "conclude"}
MIN_QUOTE_WORDS = 1
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


_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]+)*")


def block_spans(text: str, posts: list[Post], taken: list[_QuoteSpan],
                segments: list[Segment] | None = None) -> list[tuple[_QuoteSpan, int]]:
    """Statements set off after a colon without quote marks: a paragraph of its own ("... said in a
    statement:" then the text, often in Arabic, or a pasted post), or an Arabic passage that follows the
    colon in the same line ("In a message in Arabic he wrote: ..."): (quote span, offset of the colon)."""
    blocks = []
    for segment in segments or []:
        before = text[: segment.start].rstrip(" ")
        if segment.script == "arabic" and before.endswith(":") and not any(
                q.start < segment.end and segment.start < q.end for q in taken):
            blocks.append((_QuoteSpan(segment.start, segment.end), len(before) - 1))
    paragraphs = list(_PARAGRAPH.finditer(text))
    for before, paragraph in zip(paragraphs, paragraphs[1:], strict=False):
        if not before.group().rstrip().endswith(":"):
            continue
        start, end = paragraph.start(), paragraph.end()
        post = next((p for p in posts if start <= p.start < end), None)
        if post is not None:
            start, end = post.start, post.end
        inner = text[start:end]
        start += len(inner) - len(inner.lstrip(" \"“"))
        end -= len(inner) - len(inner.rstrip(" \"”"))
        if end > start and not any(q.start < end and start < q.end for q in taken) and not any(
                b.start < end and start < b.end for b, _ in blocks):
            blocks.append((_QuoteSpan(start, end), before.end() - 1))
    return blocks


def _sentences_of(doc: Doc, start: int, end: int) -> list[Span]:
    sentences = doc.user_data.setdefault("diurna_sentences", list(doc.sents))
    return [s for s in sentences if s.start_char <= end and s.end_char >= start]


def _subject_of(verb: Token) -> Token | None:
    if verb.dep_ == "acl" and verb.head.pos_ in {"NOUN", "PROPN"}:
        return verb.head  # "Saudi Arabia, which ..., called for ...": the parse hangs the verb on its speaker
    while True:
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if subjects and subjects[0].lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            return verb.head  # "President Joe Biden, who denounced the riot as '...'"
        if subjects or verb.dep_ not in {"conj", "xcomp", "advcl"} or verb.head is verb:
            return subjects[0] if subjects else None
        verb = verb.head


def _governing_cue(sentences: list[Span], quote: _QuoteSpan) -> tuple[Token, Token | None] | None:
    """The outermost cue verb (outside the quote) that governs the quoted words: in "X vowed that Pakistan
    would respond 'at a time of its choosing'" it is "vowed", not "respond"."""
    inside = [t for sent in sentences for t in sent if quote.start <= t.idx < quote.end]
    best: Token | None = None
    for token in inside[:1]:
        for ancestor in token.ancestors:
            if quote.start <= ancestor.idx < quote.end:
                continue
            if ancestor.lemma_.lower() in CUE_VERBS and ancestor.pos_ in {"VERB", "AUX"}:
                best = ancestor
    if best is None:
        return None
    return best, _subject_of(best)


def _speech_cue(sentences: list[Span], quote: _QuoteSpan) -> tuple[Token, Token | None] | None:
    """A verb of saying with its own subject, nearest the quote: "al-Awadi added, saying Iraq would
    stand with '...'" is al-Awadi's, not the subject of the sentence's main verb."""
    found = []
    for token in (t for sent in sentences for t in sent):
        if quote.start <= token.idx < quote.end or token.lemma_.lower() not in SPEECH_CUES or token.pos_ not in {
                "VERB", "AUX"}:
            continue
        quoting = next((a for a in token.ancestors if a.lemma_.lower() == "quote"), None)
        reporting = next((a for a in token.ancestors if a.lemma_.lower() in SPEECH_CUES
                          and any(c.dep_ == "nsubj" for c in a.children)), None)
        own = [c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if quoting is not None and not own:
            # "state media quoted Kim Jong Un as saying ...": the one quoted speaks
            speaker = next((c for c in quoting.children if c.dep_ == "dobj"), None)
        elif reporting is not None and not own:
            speaker = _subject_of(reporting)  # "X said ..., adding: '...'": X adds
        else:
            speaker = _subject_of(token)
        if speaker is not None:
            found.append((min(abs(token.idx - quote.end), abs(token.idx - quote.start)), token, speaker))
    if not found:
        return None
    _, best, speaker = min(found, key=lambda item: item[0])
    return best, speaker


def _cue(sentences: list[Span], quote: _QuoteSpan) -> tuple[Token, Token | None] | None:
    """The cue token outside the quote and the head of its speaker phrase."""
    speech = _speech_cue(sentences, quote)
    if speech is not None:
        return speech
    governing = _governing_cue(sentences, quote)
    if governing is not None and governing[1] is not None:
        return governing
    candidates: list[tuple[int, Token, Token | None]] = []
    for sent in sentences:
        for token in sent:
            if quote.start <= token.idx < quote.end:
                continue
            distance = min(abs(token.idx - quote.end), abs(token.idx - quote.start))
            if token.lemma_.lower() in CUE_VERBS and token.pos_ in {"VERB", "AUX"}:
                candidates.append((distance, token, _subject_of(token)))
            elif token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "to":
                objects = [c for c in token.nbor().children if c.dep_ == "pobj"]
                candidates.append((distance, token, objects[0] if objects else None))
    if not candidates:
        return None
    candidates.sort(key=lambda c: (c[2] is None, c[0]))
    _, cue, speaker = candidates[0]
    return cue, speaker


def _speaker_name(speaker: ActorRef | None, head: Token | None, resolver: ActorResolver) -> str | None:
    """A person by their full name ("X's office" for their office); an organisation or a country by the words
    the text uses for it."""
    if speaker is None:
        return None
    entity = resolver.index.entities.get(speaker.entity_id)
    if entity is None or entity.type != "person":
        # "what it called '...'": a pronoun is named by what it refers to; "The KRG" by its full name
        if speaker.raw_text.lower() in PRONOUNS:
            antecedent = resolver.group_antecedent(head) if head is not None else None
            if antecedent is not None:
                return resolver.index.doc[antecedent.left_edge.i : antecedent.i + 1].text
            return speaker.entity_name
        known = resolver.dictionary.lookup(re.sub(r"^the ", "", speaker.raw_text, flags=re.IGNORECASE))
        if entity is not None and entity.type == "organization" and known is not None and known.name == entity.name:
            return entity.name
        return speaker.raw_text
    name = speaker.entity_name.removesuffix("'s").removesuffix("’s")
    if head is not None and head.lemma_.lower() in OFFICE_NOUNS and any(c.dep_ == "poss" for c in head.children):
        return f"{name}'s {head.lower_}"
    return name


def find_quotes(text: str, doc: Doc, resolver: ActorResolver, article_id: str,
                posts: list[Post] | None = None, segments: list[Segment] | None = None) -> list[Quote]:
    quotes: list[Quote] = []
    previous: tuple[ActorRef | None, int, Token | None] | None = None
    marked = quote_spans(text)
    blocks_found = block_spans(text, posts or [], marked, segments)
    introduced = {span.start: colon for span, colon in blocks_found}
    spans = sorted([*marked, *(_QuoteSpan(start, 0) for start in introduced)], key=lambda q: q.start)
    blocks = {span.start: span for span, _ in blocks_found}
    for span in spans:
        span = blocks.get(span.start, span) if span.end == 0 else span
        if span.start in introduced:
            sentences = _sentences_of(doc, introduced[span.start], introduced[span.start])
        else:
            sentences = _sentences_of(doc, span.start, span.end)
        cue = _cue(sentences, span)
        speaker: ActorRef | None = None
        speaker_head: Token | None = None
        cue_text = None
        if cue is not None:
            cue_token, speaker_head = cue
            cue_text = cue_token.text if cue_token.lower_ != "according" else "according to"
            refs = resolver.resolve(speaker_head) if speaker_head is not None else []
            speaker = refs[0] if refs else None
            if (speaker_head is not None and speaker_head.lemma_.lower() in STATEMENT_NOUNS
                    and resolver.is_bare_definite(speaker_head) and previous is not None and previous[0] is not None):
                # "the statement said": the statement quoted just before, and whoever issued it
                speaker, speaker_head = previous[0], previous[2]
        elif previous is not None:
            gap = text[previous[1] : span.start]
            if gap.count("\n\n") <= 1 and len(gap) < 400:
                speaker, speaker_head = previous[0], previous[2]
        quotes.append(Quote(
            id=content_id(article_id, "quote", span.start, span.end),
            speaker_id=speaker.entity_id if speaker else None,
            speaker_name=_speaker_name(speaker, speaker_head, resolver),
            text=text[span.start : span.end], start=span.start, end=span.end, cue=cue_text,
        ))
        previous = (speaker, span.end, speaker_head)
    return quotes
