"""Direct quotes and their attribution.

Quotes are found in the text by their marks (straight or curly; a quote left open at a paragraph end and
reopened in the next paragraph continues), then attributed through the parse: a cue verb outside the quote
in the same sentence ("said", "told", "added", "according to") gives the speaker as its subject, resolved
by the actor layer ("he added" is the last named person). A quote with no cue of its own continues the
previous quote's speaker when it follows it directly."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from diurna.actors.entities import ROLE_NOUNS, ActorResolver
from diurna.nlp import sentence_of
from diurna.records import ActorRef, Post, Quote, Segment, content_id

CUE_VERBS = {"say", "tell", "add", "stress", "note", "state", "declare", "insist", "warn", "explain",
             "emphasise", "emphasize", "argue", "write", "announce", "affirm", "reaffirm", "assert",
             "confirm", "conclude", "describe", "claim", "urge", "ask", "reply",
             "tweet", "post", "comment", "acknowledge", "underline", "highlight", "pledge", "vow", "call",
             "condemn", "accuse", "reject", "welcome", "denounce", "dismiss", "brand", "criticise", "criticize",
             "praise", "hail", "label", "term", "publish", "issue", "release", "share", "chant", "shout"}
RELATIVE_PRONOUNS = {"who", "which", "that"}
STATEMENT_NOUNS = {"statement", "communique", "communiqué", "declaration", "release", "post", "message"}
PRONOUNS = {"it", "they", "he", "she", "we"}
# a person's office speaks for them: "His office said", "Al-Sharaa's office published a statement:"
OFFICE_NOUNS = {"office", "spokesman", "spokeswoman", "spokesperson", "aide", "adviser", "advisor", "camp"}
# verbs that only report speech: preferred over verbs that also do something ("condemned ... as '...'")
SPEECH_CUES = {"say", "tell", "add", "state", "write", "note", "stress", "declare", "explain", "insist",
               "tweet", "post", "comment", "reply", "emphasise", "emphasize", "underline", "conclude"}
ANNOUNCING = {"announce", "issue", "publish", "release", "declare"}
# who is speaking when a quote's own cue has only "he"/"she": the last speaker named in the paragraph
PERSON_PRONOUNS = {"he", "she"}
# things that carry words without speaking them: their words are whoever holds them up
WRITTEN_ON = {"sign", "banner", "placard", "poster", "slogan", "flag", "t-shirt", "shirt", "board"}
QUANTIFIERS = {"one", "two", "three", "some", "several", "many", "few", "none", "most", "all"}
HUMAN_NOUNS = ROLE_NOUNS | {
    "source", "officer", "aide", "adviser", "advisor", "analyst", "resident", "witness", "lawmaker", "negotiator",
    "mediator", "activist", "protester", "student", "lawyer", "doctor", "journalist", "member", "senator",
    "deputy", "researcher", "expert", "worker", "farmer", "soldier", "survivor", "organiser", "organizer",
    "director"}
# Arabic verbs of saying that introduce a quote in an Arabic passage: قال فلان: "..."
ARABIC_SPEECH_VERBS = ("قال", "وقال", "أكد", "وأكد", "صرح", "وصرح", "أضاف", "وأضاف", "شدد", "وشدد", "أوضح",
                       "وأوضح", "أعلن", "وأعلن", "كتب", "وكتب", "حذر", "وحذر", "تابع", "وتابع", "اعتبر", "واعتبر")
MIN_QUOTE_WORDS = 1
MAX_ARABIC_NAME_WORDS = 4
ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
_PAIRS = re.compile(r"“([^“”]+)(?:”|(?=\n\n“))|\"([^\"\n]+)(?:\"|(?=\n\n\"))")


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


def _known_organisation(words: list[str], start: int, text: str, resolver: ActorResolver) -> ActorRef | None:
    for n in range(len(words), 0, -1):
        known = resolver.dictionary.lookup(" ".join(words[:n]))
        entity = next((e for e in resolver.index.entities.values() if known is not None and e.name == known.name),
                      None)
        if entity is not None:
            end = text.index(words[n - 1], start) + len(words[n - 1])
            return ActorRef(entity_id=entity.id, entity_name=entity.name, raw_text=text[start:end],
                            country_code=entity.country_code, sector_code=entity.sector_code)
    return None


def _proper_name(head: Token) -> str:
    """The proper-noun words that end at `head`: "Valmetal" in "Swiss mining group Valmetal"."""
    start = head.i
    while start > head.left_edge.i and head.doc[start - 1].pos_ == "PROPN":
        start -= 1
    return head.doc[start : head.i + 1].text


def _phrase(head: Token) -> str:
    """The words of the noun phrase `head` heads, its complements included ("a diplomat familiar with the
    talks", "Alliance of Sahel States") but not a clause or aside set off by commas after it."""
    end = head.i
    for token in head.doc[head.i + 1 : head.right_edge.i + 1]:
        if token.is_punct or token.dep_ in {"relcl", "acl", "appos"} and token.tag_ not in {"VBN", "JJ"}:
            break
        end = token.i
    return head.doc[head.left_edge.i : end + 1].text


def _paragraph_start(text: str, offset: int) -> int:
    found = text.rfind("\n\n", 0, offset)
    return 0 if found < 0 else found + 2


def _statement_issuer(doc: Doc, text: str, before: int, resolver: ActorResolver) -> Token | None:
    """Who issued the statement that "the statement said" refers to: the nearest earlier "in a statement",
    "issued a statement", "X's statement" or "a statement from X" in this or the previous paragraph."""
    paragraph = _paragraph_start(text, before)
    here = [t for t in doc if paragraph <= t.idx < before]
    found = _statement_noun_issuer(reversed(here))
    if found is not None:
        return found
    # no statement named here: "The ministry announced its response. '...,' the statement said"
    for token in reversed(here):
        if token.lemma_.lower() in ANNOUNCING and token.pos_ == "VERB":
            subject = _subject_of(token)
            if subject is not None and subject.pos_ != "PRON":
                return subject
    # "The prosecutor's office said the brothers had been beaten. '...,' the statement said"
    for token in reversed(here):
        if token.lemma_.lower() in SPEECH_CUES and token.pos_ == "VERB":
            subject = _subject_of(token)
            if subject is not None and subject.lower_ == "it":
                # "Netanyahu's office struck a different tone. ..., it said": what "it" stands for
                subject = resolver.group_antecedent(subject)
            if subject is not None and subject.pos_ != "PRON" and subject.ent_type_ != "PERSON" and \
                    subject.lemma_.lower() not in HUMAN_NOUNS | STATEMENT_NOUNS:
                return subject
    floor = _paragraph_start(text, max(paragraph - 2, 0))
    return _statement_noun_issuer(reversed([t for t in doc if floor <= t.idx < paragraph]))


def _statement_noun_issuer(tokens: Iterable[Token]) -> Token | None:
    for token in tokens:
        if token.lemma_.lower() not in STATEMENT_NOUNS or token.pos_ != "NOUN":
            continue
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        source = next((g for c in token.children if c.dep_ == "prep" and c.lower_ in {"from", "by"}
                       for g in c.children if g.dep_ == "pobj"), None)
        if owner is not None or source is not None:
            return owner if owner is not None else source
        verb = token.head.head if token.dep_ == "pobj" else token.head if token.dep_ == "dobj" else None
        if verb is not None and verb.pos_ in {"VERB", "AUX"}:
            subject = _subject_of(verb)
            if subject is not None and subject.lemma_.lower() not in STATEMENT_NOUNS:
                return subject
    return None


def _last_speaker(doc: Doc, text: str, pronoun: Token, resolver: ActorResolver) -> Token | None:
    """The person subject of the last verb of saying before `pronoun` in its paragraph ("..., a Jordanian
    official said. '...,' he said. '...,' he added"); None when that subject is another kind of pronoun."""
    floor = _paragraph_start(text, pronoun.idx)
    own_sentence = sentence_of(pronoun).start
    for token in reversed(doc[: pronoun.i]):
        if token.idx < floor:
            return None
        if token.i < own_sentence and token.dep_ == "nsubj" and token.head.dep_ == "ROOT" and \
                token.head.lemma_.lower() not in CUE_VERBS and not resolver.is_quoted(token) and \
                resolver.is_person(token):
            return token  # "Erdoğan went further. '...,' he said": the person the sentence before is about
        if token.lemma_.lower() not in CUE_VERBS or token.pos_ not in {"VERB", "AUX"}:
            continue
        subject = _subject_of(token)
        if subject is not None and subject.lower_ in PERSON_PRONOUNS | {"i", "we", "you"}:
            continue  # "'...,' he said. '...,' he added": the chain leads back to the one named first
        if subject is not None and subject.pos_ == "PRON":
            return None
        if subject is not None and subject.tag_ not in {"NNS", "NNPS"} and (
                subject.lemma_.lower() in HUMAN_NOUNS or resolver.is_person(subject)):
            return subject  # "Residents said ..." is no "he" or "she"
    return None


def _bearer(head: Token) -> Token | None:
    """Who carries the words a sign reads: "rallied ..., holding signs that read '...'" are the ralliers'."""
    if head.lemma_.lower() not in WRITTEN_ON:
        return None
    verb = head.head
    for _ in range(3):  # "gathered ..., some holding banners reading '...'": up to the clause with a holder
        if verb.pos_ not in {"VERB", "AUX"}:
            return None
        holder = _subject_of(verb)
        if holder is not None and holder.lemma_.lower() not in WRITTEN_ON:
            return holder
        if verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _described_person(doc: Doc, pronoun: Token) -> Token | None:
    """The unnamed person "he" or "she" takes up when no named one comes before it: the last singular subject
    that names a role in the two sentences before ("The president spoke to reporters. '...,' he said")."""
    start = sentence_of(pronoun).start
    floor = sentence_of(doc[start - 1]).start if start else 0
    floor = sentence_of(doc[floor - 1]).start if floor else 0
    for token in reversed(doc[floor : pronoun.i]):
        if token.dep_ in {"nsubj", "nsubjpass"} and token.pos_ == "NOUN" and token.tag_ == "NN" and \
                token.lemma_.lower() in HUMAN_NOUNS:
            return token
    return None


def _appositive_person(head: Token, resolver: ActorResolver) -> Token | None:
    """The person a role noun names beside it: "His spokesman, Basim al-Awadi, said"."""
    if head.pos_ != "NOUN" or head.lemma_.lower() not in HUMAN_NOUNS:
        return None
    return next((name for name in head.children if name.dep_ == "appos" and resolver.is_person(name)), None)


def _named_later(doc: Doc, head: Token, resolver: ActorResolver) -> ActorRef | None:
    """An unnamed speaker ("a spokesperson for the ministry") named further on: "The spokesperson,
    Christophe Lemoine, said ..."."""
    if head.pos_ != "NOUN" or head.lemma_.lower() not in HUMAN_NOUNS:
        return None
    for token in doc[head.i + 1 :]:
        if token.lemma_ != head.lemma_:
            continue
        for name in (c for c in token.children if c.dep_ == "appos" and resolver.is_person(c)):
            refs = resolver.resolve(name)
            return refs[0] if refs else None
    return None


def _arabic_speaker(text: str, span: _QuoteSpan, segments: list[Segment],
                    resolver: ActorResolver) -> ActorRef | None:
    """The speaker of a quote inside an Arabic passage: the person named after a verb of saying earlier in
    the same sentence (قال وزير الخارجية أيمن الصفدي إن "...")."""
    if not any(s.script == "arabic" and s.start <= span.start < s.end for s in segments):
        return None
    line_start = max(text.rfind("\n", 0, span.start), text.rfind(".", 0, span.start)) + 1
    lead = text[line_start : span.start]
    found = max(((lead.find(v + " "), v) for v in ARABIC_SPEECH_VERBS), default=(-1, ""))
    if found[0] < 0:
        return None
    verb = found[0] + line_start
    best: tuple[int, str] | None = None
    for entity in resolver.index.entities.values():
        if entity.type not in {"person", "organization"}:
            continue
        for mention in entity.mentions:
            if mention.lang == "ar" and verb < mention.start and mention.end <= span.start and (
                    best is None or mention.start < best[0]):
                best = (mention.start, entity.id)
    if best is None:
        # أكد حزب الله في بيانه أن "...": an organisation the actor dictionary knows by its Arabic name, named
        # in the English text too
        after = verb + len(found[1]) + 1
        return _known_organisation(text[after : span.start].split()[:MAX_ARABIC_NAME_WORDS], after, text,
                                   resolver)
    entity = resolver.index.entities[best[1]]
    return ActorRef(entity_id=entity.id, entity_name=entity.name, raw_text=text[best[0] : span.start].strip(),
                    country_code=entity.country_code, sector_code=entity.sector_code)


def _clause_subject(sentences: list[Span], quote: _QuoteSpan) -> Token | None:
    """The subject of the clause a quote sits inside, when the quote is a phrase within the sentence (it
    neither opens the sentence nor stands alone)."""
    inside = [t for sent in sentences for t in sent if quote.start <= t.idx < quote.end]
    if not inside or inside[0].sent.start_char >= quote.start - 1:
        return None
    for ancestor in inside[0].ancestors:
        if not quote.start <= ancestor.idx < quote.end and ancestor.pos_ in {"VERB", "AUX"}:
            subject = _subject_of(ancestor)
            if subject is None or subject.pos_ == "PRON" and subject.lower_ not in PERSON_PRONOUNS:
                return None
            return subject
    return None


def _introducing_colon(text: str, span: _QuoteSpan) -> int | None:
    """The colon right before a quote ("put it this way: '...'"), or ending the paragraph before a quote that
    opens its own paragraph."""
    lead = text[: span.start].rstrip(" \"“")
    if lead.endswith(":"):
        return len(lead) - 1
    start = _paragraph_start(text, span.start)
    if text[start : span.start].strip(" \"“") or start < 2:
        return None
    before = text[: start].rstrip()
    return len(before) - 1 if before.endswith(":") else None


def _colon_cue(doc: Doc, colon: int) -> tuple[Token, Token] | None:
    """Who the words after "X played the agreement down:" or "X put it this way:" belong to: the verb of the
    clause ending in the colon, and its subject."""
    sentences = _sentences_of(doc, colon, colon)
    tokens = [t for sent in sentences for t in sent if t.idx < colon]
    verb = next((t for t in reversed(tokens) if t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"aux", "auxpass"}),
                None)
    subject = _subject_of(verb) if verb is not None else None
    if subject is None or subject.lower_ in {"it", "this", "that", "there"}:
        return None
    return verb, subject


def _speaker_name(speaker: ActorRef | None, head: Token | None, resolver: ActorResolver) -> str | None:
    """A person by their full name ("X's office" for their office); an organisation or a country by the words
    the text uses for it."""
    if speaker is None:
        # "one of his lawyers said": a speaker the text describes but never names
        of = next((g for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                   if g.dep_ == "pobj"), None) if head is not None else None
        if head is not None and (head.lemma_.lower() in HUMAN_NOUNS or head.lower_ in QUANTIFIERS and of is not None
                                 and of.lemma_.lower() in HUMAN_NOUNS):
            return _phrase(head)
        return None
    entity = resolver.index.entities.get(speaker.entity_id)
    if entity is None or entity.type != "person":
        # "what it called '...'": a pronoun is named by what it refers to; "The KRG" by its full name
        if speaker.raw_text.lower() in PRONOUNS:
            antecedent = resolver.group_antecedent(head) if head is not None else None
            if antecedent is not None:
                return resolver.index.doc[antecedent.left_edge.i : antecedent.i + 1].text
            return speaker.entity_name
        if head is not None and resolver.is_bare_definite(head):
            # "the ministry" is named by the phrase it refers to: "The Iraqi foreign ministry"
            antecedent = resolver.definite_antecedent(head)
            if antecedent is not None and antecedent.dep_ == "appos" and antecedent.head.pos_ == "PROPN":
                return _phrase(antecedent.head)  # "Florencia Soto Niño, a spokeswoman for Guterres,"
            if antecedent is not None and antecedent.lemma_.lower() != head.lemma_.lower() and \
                    resolver.is_named_organisation(antecedent):
                return _proper_name(antecedent)  # "the group" after "Swiss mining group Valmetal": Valmetal
            if antecedent is not None:
                return _phrase(antecedent)
        if entity is not None and ARABIC_LETTER.search(speaker.raw_text):
            return entity.name  # حزب الله: the name the English text knows it by
        known = resolver.dictionary.lookup(re.sub(r"^the ", "", speaker.raw_text, flags=re.IGNORECASE))
        if entity is not None and entity.type == "organization" and known is not None and known.name == entity.name:
            return entity.name
        if head is not None and head.pos_ == "NOUN" and (entity is None or entity.type in {"group", "country"}):
            return _phrase(head)  # "a diplomat familiar with the talks", not just "a diplomat"
        return speaker.raw_text.strip(" ,;:")
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
        arabic = _arabic_speaker(text, span, segments or [], resolver)
        cue = _cue(sentences, span) if arabic is None else None
        colon = _introducing_colon(text, span)
        if cue is None and colon is not None and arabic is None:
            # a quoted paragraph after "He later wrote on his official page:" is his
            cue = _cue(_sentences_of(doc, colon, colon), _QuoteSpan(colon, colon + 1))
            cue = cue or _colon_cue(doc, colon)
        speaker: ActorRef | None = None
        speaker_head: Token | None = None
        cue_text = None
        if cue is not None:
            cue_token, speaker_head = cue
            cue_text = cue_token.text if cue_token.lower_ != "according" else "according to"
            if speaker_head is not None and speaker_head.lower_ in PERSON_PRONOUNS:
                speaker_head = _last_speaker(doc, text, speaker_head, resolver) or speaker_head
            if speaker_head is not None:
                speaker_head = _appositive_person(speaker_head, resolver) or _bearer(speaker_head) or speaker_head
            refs = resolver.resolve(speaker_head) if speaker_head is not None else []
            if not refs and speaker_head is not None and speaker_head.lower_ in PERSON_PRONOUNS and (
                    described := _described_person(doc, speaker_head)) is not None:
                speaker_head, refs = described, resolver.resolve(described)
            speaker = refs[0] if refs else None
            if speaker_head is not None and speaker_head.lemma_.lower() in STATEMENT_NOUNS and \
                    resolver.is_bare_definite(speaker_head):
                # "the statement said": whoever issued the statement the text mentioned last
                issuer = _statement_issuer(doc, text, span.start, resolver)
                issuer_refs = resolver.resolve(issuer) if issuer is not None else []
                if issuer_refs:
                    speaker, speaker_head = issuer_refs[0], issuer
                elif previous is not None and previous[0] is not None:
                    speaker, speaker_head = previous[0], previous[2]
            elif speaker_head is not None and (speaker is None or resolver.index.entities[
                    speaker.entity_id].type != "person") and (named := _named_later(doc, speaker_head, resolver)):
                speaker, speaker_head = named, None
        elif arabic is not None:
            # an Arabic passage names its own speaker after its verb of saying: قال وزير الخارجية ... إن "..."
            speaker, cue_text = arabic, "قال"
        elif (holder := _clause_subject(sentences, span)) is not None:
            # words quoted inside a sentence with no verb of saying are its subject's: "Lawmakers voted to
            # impeach him for 'permanent moral incapacity'"
            holder = _bearer(holder) or holder
            refs = resolver.resolve(holder)
            speaker, speaker_head = (refs[0] if refs else None), holder
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
