"""The lexicon event coder: PLOVER events from trigger words matched on the dependency parse.

A trigger is a verb lemma (with its required object, preposition, particle or complement) or a noun lemma
from `data/events/lexicon.yaml`. The parse then picks the actor (subject side, or the `by` agent of a passive)
and the recipient (object side, or the subject of a passive), expands coordinated actors ("Egypt and Jordan"),
reads negation, future and hypothetical markers, and codes reported speech on its content with the speaker
as `claimed_by`."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from diurna import __version__
from diurna.actors.entities import ActorResolver
from diurna.events.classifier import NONE_LABEL, event_sentences, sentence_cats
from diurna.events.lexicon import LexiconEntry, load_lexicon
from diurna.nlp import token_table
from diurna.records import ActorRef, Event, Evidence, content_id

CODER = f"diurna-lexicon/{__version__}"
MODEL_CODER = f"diurna-textcat/{__version__}"
# classifier thresholds: a sentence typed by the model alone, one added where the lexicon found nothing,
# and the NONE probability at which an unconstrained lexicon trigger is dropped
MODEL_THRESHOLD = 0.5
ADD_THRESHOLD = 0.85
VETO_THRESHOLD = 0.95
# future CONSULT/SUPPORT/COOPERATE/AID -> the CAMEO "express intent to ..." code, typed AGREE by PLOVER
FUTURE_AS_INTENT = {"CONSULT": "036", "SUPPORT": "032", "COOPERATE": "031", "AID": "033"}
HOST_A_VISIT = "043"
# hosting a gathering makes the host the actor; hosting a visitor makes the visitor the actor
GATHERINGS = {"summit", "talk", "meeting", "conference", "session", "forum", "negotiation", "round", "dialogue"}
ANNOUNCED_RETREAT = "08"
RIOT = "145"
DEMONSTRATE = "141"
SHOW_OF_FORCE = "15"
THREATEN_FORCE = "138"
MILITARY_COOPERATION = "062"
LAUNCH_VERBS = {"fire", "launch", "test", "test-fire"}
MISSILES = {"missile", "rocket", "projectile", "icbm"}
TARGET_PREPS = {"at", "on", "against", "toward", "towards"}
CROWDS = {"protesters", "protestors", "demonstrators", "rioters", "crowd", "crowds", "mob", "mobs", "supporters"}
# cooperative acts whose announced non-performance is a refusal (CAMEO 12)
REFUSABLE = {"AGREE", "CONSULT", "COOPERATE", "SUPPORT", "AID", "CONCEDE", "RETREAT"}
REFUSE = "120"
JOINT_WORDS = {"joint", "jointly", "together", "combined", "bilateral", "trilateral", "multinational"}
LABEL_VERBS = {"call", "describe", "brand", "label", "term", "deem", "denounce"}
# words of a quoted verdict that condemns what it labels: "called the attack 'completely unacceptable'"
NEGATIVE_VERDICTS = {
    "unacceptable", "unjustified", "unjustifiable", "incomprehensible", "baffling", "provocation", "provocative",
    "aggression", "aggressive", "crime", "criminal", "illegal", "illegitimate", "unlawful", "outrageous",
    "shameful", "irresponsible", "dangerous", "reckless", "violation", "terrorist", "terrorism", "barbaric",
    "heinous", "cowardly", "unprovoked", "hostile", "absurd", "baseless", "unfounded", "disgraceful",
    "genocide", "massacre", "farce", "sham", "blackmail", "betrayal", "insult", "interference", "escalation",
    "destabilising", "destabilizing", "grave", "appalling", "abhorrent", "deplorable", "despicable", "attack",
    "assault", "coup", "invasion", "piracy", "lie", "slander", "smear", "null", "void", "alarming",
    "flagrant", "breach", "rebellion", "treason", "hypocrisy", "hypocritical", "regrettable", "blow", "setback",
    "backwards", "backward", "mistake", "error", "disaster", "catastrophe", "catastrophic", "tragedy", "travesty",
    "persecution", "repression", "oppression", "intimidation", "harassment", "arbitrary", "fabricated",
    "politically", "unfair", "unjust", "injustice", "abuse", "outrage", "scandal", "scandalous", "theft",
    "kidnapping", "hijacking", "hostage", "terror", "sabotage", "dictatorship", "authoritarian", "tyranny",
    "vendetta", "witch-hunt", "revenge", "humiliation", "humiliating", "unworthy", "senseless",
}
MAX_VERDICT_TOKENS = 12
# tokens between a labelled object and its quoted label: "described the detention on Wednesday as '...'"
MAX_LABEL_GAP = 6
# acts a quoted label can only be condemning ("called the seizure 'a settling of accounts'"), unless it praises
HOSTILE_ACTS = {
    "seizure", "detention", "arrest", "takeover", "coup", "raid", "attack", "strike", "killing", "expulsion",
    "ban", "crackdown", "invasion", "occupation", "annexation", "blockade", "hijacking", "kidnapping", "bombing",
    "shelling", "incursion", "assassination", "abduction", "execution", "sentence", "conviction", "purge",
}
PRAISING_WORDS = {"heroic", "brave", "courageous", "necessary", "justified", "legitimate", "lawful", "success",
                  "successful", "victory", "triumph", "liberation", "historic", "proud", "welcome"}
VERDICT_ENTRY = LexiconEntry(event_type="ACCUSE", cameo="111", mode="disapprove")
# a condemning verdict stated as a description: "'X is completely unacceptable,' the spokeswoman told
# reporters", "the deal was 'a flagrant violation'", "This is piracy"
JUDGED_ENTRY = LexiconEntry(event_type="ACCUSE", cameo="111", mode="disapprove", noun="verdict")

SUBJECT_DEPS = {"nsubj", "csubj"}
NOT_ACTORS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"}
OBJECT_DEPS = {"dobj", "attr", "dative", "oprd"}
RECIPIENT_PREPS = {"with", "to", "on", "against", "at", "toward", "towards", "upon", "into", "from", "of"}
VISIT_PREPS = {"in", "to", "into"}
SPEECH_VERBS = {"say", "tell", "state", "announce", "report", "claim", "add", "confirm", "note", "stress",
                "allege", "insist", "write", "declare", "assert", "explain", "reveal", "indicate"}
FUTURE_GOVERNORS = {"plan", "intend", "expect", "schedule", "set", "prepare", "aim", "hope", "seek", "want",
                    "propose", "go", "due", "ready", "willing", "prepared"}
NEGATING_GOVERNORS = {"deny", "fail", "refuse", "decline", "avoid", "refrain", "escape", "stop"}
HYPOTHETICAL_AUX = {"could", "might", "may", "should"}
# "would" is the future of reported speech ("said it would send aid") unless an "if" makes it conditional
FUTURE_AUX = {"will", "shall", "'ll", "would", "wo"}
DEFINITE = {"the", "this", "that", "these", "those", "its", "their", "his", "her", "our"}
# verbs that carry out the act their object names: "completed the exchange", "staged a protest"
LIGHT_VERBS = {"complete", "carry", "conduct", "hold", "launch", "begin", "stage", "start", "mount", "finish",
               "undertake", "make", "wage", "deliver", "hand", "issue", "lodge", "impose", "announce"}
# triggers whose xcomp/ccomp content is what they ask, threaten, agree or refuse: that content is not an
# event of its own ("demanded that Israel withdraw", "accused Kyiv of launching drones")
CONTENT_TYPES = {"REQUEST", "THREATEN", "AGREE", "REJECT", "ACCUSE", "SUPPORT", "CONCEDE"}
EMBEDDING_DEPS = {"xcomp", "ccomp", "pcomp", "pobj", "prep", "advcl", "dobj"}
# intransitive verbs whose participle describes what its noun did: "army units deployed into the villages"
MOTION_VERBS = {"deploy", "arrive", "withdraw", "retreat", "gather", "march", "rally", "travel", "advance",
                "move", "pull", "return", "flee", "mass"}
CONDITION_MARKS = {"if", "unless", "until", "once"}
# violence is reported even when the text never says who did it ("was shot dead at a military base")
UNATTRIBUTED_TYPES = {"ASSAULT", "COERCE", "PROTEST"}
FUTURE_MODIFIERS = {"planned", "upcoming", "forthcoming", "expected", "proposed", "scheduled", "future",
                    "possible", "potential"}


@dataclass
class _Match:
    trigger: Token
    entry: LexiconEntry
    consumed: set[int]
    confidence: float = 1.0
    # what a verdict labels ("called the seizure 'piracy'"): the recipient, never the quoted label
    labelled: Token | None = None


NEGATIVE_SUBJECTS = {"none", "nobody", "neither", "nothing", "noone"}


def _distinct(refs: list[ActorRef]) -> list[ActorRef]:
    seen: set[str] = set()
    return [r for r in refs if not (r.entity_id in seen or seen.add(r.entity_id))]


def _children(token: Token, deps: set[str]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def _passive(token: Token) -> bool:
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in token.children)


def _objects(token: Token) -> list[Token]:
    found = _children(token, OBJECT_DEPS)
    if token.dep_ == "acl" and token.tag_ == "VBN" and token.head.pos_ == "NOUN":
        found.append(token.head)  # "an agreement reached on Thursday": the noun is the verb's object
    if _passive(token):
        found += _children(token, {"nsubjpass"})
    for obj in list(found):
        found += [c for c in obj.conjuncts if c.i > obj.i]
    return found


def _head_words(noun: Token) -> set[str]:
    """The noun and its compound/title words: "received Foreign Minister Fuad Hussein" has "minister"."""
    words = {noun.lemma_.lower(), noun.lower_}
    words.update(c.lemma_.lower() for c in noun.children if c.dep_ in {"compound", "amod"})
    words.update(c.lemma_.lower() for c in noun.children if c.dep_ in {"dobj", "appos", "nmod"} and c.pos_ == "NOUN")
    for prep in noun.children:  # "hundreds of prisoners", "a package of sanctions"
        if prep.dep_ == "prep" and prep.lower_ == "of":
            words.update(p.lemma_.lower() for p in prep.children if p.dep_ == "pobj")
    return words


def _match_verb(token: Token, entry: LexiconEntry) -> _Match | None:
    consumed: set[int] = set()
    if entry.object:
        hits = [o for o in _objects(token) if _head_words(o) & entry.object]
        if not hits:
            return None
        consumed.update(o.i for o in hits)
    if entry.prep and not any(c.lemma_.lower() == entry.prep for c in _children(token, {"prep", "agent"})):
        return None
    if entry.particle and not any(c.lower_ == entry.particle for c in _children(token, {"prt", "advmod", "prep"})):
        return None
    if entry.subject:
        subjects = [s for s in token.children if s.dep_ in {"nsubj", "nsubjpass"}]
        if not any(_head_words(s) & entry.subject for s in subjects):
            return None
    if entry.xcomp:
        # "took dozens of guards hostage": the parse hangs the noun complement as oprd or advcl
        hits = [c for c in _children(token, {"xcomp", "ccomp", "acomp", "oprd", "advcl"})
                if c.lemma_.lower() in entry.xcomp]
        if not hits:
            return None
        consumed.update(c.i for c in hits)
    return _Match(token, entry, consumed)


def find_triggers(sent: Span) -> list[_Match]:
    lexicon = load_lexicon()
    matches: list[_Match] = []
    consumed: set[int] = set()
    table = token_table(sent.doc)
    doc = sent.doc
    for i in range(sent.start, sent.end):
        if table.lemma[i] in LABEL_VERBS and (labelled := _verdict(doc[i])) is not None:
            # "called the raid 'deeply alarming'": the verdict, not "call" as a request
            matches.append(_Match(doc[i], VERDICT_ENTRY, set(), labelled=labelled))
            continue
        if table.pos[i] in {"VERB", "AUX"} or (table.pos[i] == "NOUN" and table.tag[i] == "VBG") or (
                table.pos[i] in {"NOUN", "PROPN"} and _used_as_verb(doc[i])):
            entries = lexicon.verbs.get(table.lemma[i], ())
            token = doc[i] if entries else None
            for entry in entries:
                match = _match_verb(token, entry)
                if match is not None:
                    matches.append(match)
                    consumed.update(match.consumed)
                    break
    for i in range(sent.start, sent.end):
        if table.lemma[i] == "be" and (verdict := _judged(doc[i])) is not None and i not in consumed:
            matches.append(_Match(verdict, JUDGED_ENTRY, set()))
    verb_triggers = {m.trigger.i for m in matches}
    for i in range(sent.start, sent.end):
        if table.pos[i] in {"NOUN", "PROPN"} and i not in consumed:
            entries = lexicon.nouns.get(table.lemma[i]) or lexicon.nouns.get(table.text[i].lower())
            # "on March 6" names a day, not a march
            if entries and doc[i].ent_type_ not in {"DATE", "TIME"} and not _refers_back(doc[i], verb_triggers):
                matches.append(_Match(doc[i], entries[0], set()))
    return matches


def _purpose(verb: Token) -> bool:
    """An infinitive of purpose shares its clause's tense: "will contact his counterpart to discuss the border"."""
    return verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _on_condition(verb: Token) -> bool:
    """The act is promised on a condition: "would kill them unless the government freed ...", "will strike if"."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in {"unless", "if"} for m in c.children)
               for c in verb.children)


def _used_as_verb(token: Token) -> bool:
    """A word the tagger took for a noun or a name that has a subject and an object ("Officials accuse Hezbollah
    of ...")."""
    deps = {c.dep_ for c in token.children}
    return "nsubj" in deps and "dobj" in deps


def _verdict(verb: Token) -> Token | None:
    """ "called the strikes 'an act of war'", "described the detention on Wednesday as 'an attempt to ...'": a
    verb of labelling whose object is followed by a quoted verdict that condemns it, or by any quoted label of
    a hostile act ("called the takeover 'a settling of accounts'"). Returns what is labelled, or None."""
    if verb.lemma_.lower() not in LABEL_VERBS or verb.pos_ != "VERB":
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None:
        return None
    doc = verb.doc
    # "called the seizure "piracy ..."": the parser may take the label for the object and the act for its modifier
    opening = next((t for t in doc[obj.left_edge.i : obj.i] if t.text in {'"', "“"}), None)
    if opening is not None:
        obj = next((t for t in doc[obj.left_edge.i : opening.i] if t.pos_ == "NOUN"), obj)
    else:
        opening = next((t for t in doc[obj.i + 1 : min(obj.i + 1 + MAX_LABEL_GAP, verb.sent.end)]
                        if t.text in {'"', "“"}), None)
    # the label follows the object itself, not a later clause ("called the vote and said '...'")
    if opening is None or any(t.pos_ == "VERB" for t in doc[obj.i + 1 : opening.i]):
        return None
    quoted: list[str] = []
    for token in doc[opening.i + 1 : opening.i + 1 + MAX_VERDICT_TOKENS]:
        if token.text in {'"', "”"}:
            break
        quoted.append(token.lemma_.lower())
    words = set(quoted)
    if words & NEGATIVE_VERDICTS or "act of war" in " ".join(quoted):
        return obj
    return obj if obj.lemma_.lower() in HOSTILE_ACTS and not words & PRAISING_WORDS else None


def _judged(copula: Token) -> Token | None:
    """The attribute of a copula that condemns its subject, reported as someone's words: the attribute
    ("unacceptable", "violation", "act [of rebellion]"), or None."""
    if not any(a.lemma_.lower() in SPEECH_VERBS for a in copula.ancestors) and not _according_to(copula):
        return None
    for attribute in (c for c in copula.children if c.dep_ in {"attr", "acomp"}):
        words = {attribute.lemma_.lower(), *(c.lemma_.lower() for c in attribute.children
                                             if c.dep_ in {"amod", "compound", "advmod"})}
        words.update(g.lemma_.lower() for c in attribute.children if c.dep_ == "prep" for g in c.children
                     if g.dep_ == "pobj")
        if words & NEGATIVE_VERDICTS:
            return attribute
    return None


def _according_to(token: Token) -> Token | None:
    """Who "according to X" attributes the clause of `token` to."""
    for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "according"):
        for to in (c for c in prep.children if c.lower_ == "to"):
            return next((g for g in to.children if g.dep_ == "pobj"), None)
    return None


def _refused(verb: Token) -> bool:
    """ "will not send", "would not attend", "won't join": the verb's own negation with will/would; "declined
    to send", "refused to attend": the act under a verb of refusing."""
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in {"refuse", "decline"}:
        return True
    children = list(verb.children)
    return (any(c.dep_ == "neg" for c in children)
            and any(c.dep_ == "aux" and c.lower_ in {"will", "would", "wo", "'ll"} for c in children))


def _done_jointly(verb: Token) -> bool:
    words = [verb, *verb.children, *(g for c in verb.children if c.dep_ in OBJECT_DEPS for g in c.children)]
    return any(w.lower_ in JOINT_WORDS for w in words)


def _refers_back(noun: Token, verb_triggers: set[int]) -> bool:
    """ "condemned the strike", "after the pullout", "its attacks": a noun that names an event already
    reported is the topic of this sentence, not a new event."""
    head = noun.head
    if noun.dep_ in {"dobj", "nsubjpass"} and head.lemma_.lower() in LIGHT_VERBS:
        return False
    if any(c.dep_ in {"det", "poss"} and c.lower_ in DEFINITE for c in noun.children):
        return True
    if noun.dep_ == "pobj" and head.head is not head:
        head = head.head
    return head.i in verb_triggers or head.lemma_.lower() in SPEECH_VERBS | {"condemn", "denounce", "deny"}


class EventCoder:
    def __init__(self, resolver: ActorResolver, article_id: str, article_date: str | None):
        self.resolver = resolver
        self.lexicon = load_lexicon()
        self.article_id = article_id
        self.article_date = article_date
        self._sentence_contexts: dict[int, list[str]] = {}

    # --- roles -------------------------------------------------------------------------------------------
    def _subject(self, verb: Token) -> Token | None:
        token = verb
        for _ in range(4):
            # "X is expected to visit": the raising verb's passive subject is the subject of the event
            subjects = _children(token, SUBJECT_DEPS if token is verb else SUBJECT_DEPS | {"nsubjpass"})
            if subjects:
                return subjects[0]
            if token.dep_ in {"xcomp", "advcl", "conj", "pcomp", "prep", "acomp"} and token.head is not token:
                # "Pakistan retaliated by closing its airspace": through "by" to its verb; "X is due to
                # visit": through the adjective to the copula's subject
                token = token.head
                continue
            if token.dep_ == "acl" and token.head.pos_ in {"NOUN", "PROPN"}:
                return None
            return None
        return None

    def _verb_roles(self, match: _Match) -> tuple[list[ActorRef], list[ActorRef]]:
        verb, entry = match.trigger, match.entry
        resolve = self.resolver.resolve
        actor: list[ActorRef] = []
        recipient: list[ActorRef] = []
        if verb.dep_ == "acl" and verb.head.pos_ in {"NOUN", "PROPN"} and verb.head.i not in match.consumed:
            # a reduced relative: "units deployed into X" (the noun acts), "diplomats expelled by France"
            # (the agent acts on the noun), "Algeria's decision to expel" (the noun's owner acts)
            agents = [p for a in _children(verb, {"agent"}) for p in _children(a, {"pobj"})]
            if agents:
                actor = [r for a in agents for r in resolve(a)]
                recipient += resolve(verb.head)
            elif verb.tag_ != "VBN" or verb.lemma_.lower() in MOTION_VERBS:
                actor += resolve(verb.head)
            # else a passive participle with no agent ("entities accused of procuring parts"): no actor
            for obj in _children(verb, OBJECT_DEPS):
                if obj.i not in match.consumed and obj.ent_type_ not in NOT_ACTORS:
                    recipient += resolve(obj)
        elif _passive(verb):
            for agent in _children(verb, {"agent"}):
                for pobj in _children(agent, {"pobj"}):
                    actor += resolve(pobj)
            for subj in _children(verb, {"nsubjpass"}):
                if subj.i not in match.consumed:
                    recipient += resolve(subj)
        else:
            subject = self._subject(verb)
            if subject is not None:
                actor += resolve(subject)
            for obj in [match.labelled] if match.labelled is not None else _children(verb, OBJECT_DEPS):
                if obj.i not in match.consumed and obj.ent_type_ not in NOT_ACTORS:
                    recipient += resolve(obj)
        preps = VISIT_PREPS | RECIPIENT_PREPS if entry.mode == "visit" else RECIPIENT_PREPS
        heads = [verb, *[verb.doc[i] for i in match.consumed]]
        for head in heads:
            for prep in _children(head, {"prep", "dative"}):
                if prep.lemma_.lower() in preps or prep.dep_ == "dative":
                    targets = _children(prep, {"pobj"}) or ([prep] if prep.dep_ == "dative" else [])
                    for pobj in targets:
                        if pobj.ent_type_ not in NOT_ACTORS:
                            recipient += resolve(pobj)
        for i in sorted(match.consumed):
            # "released three Israeli women", "expelled 12 French diplomats": the object's country receives it
            recipient += [r for r in resolve(verb.doc[i]) if r.country_code]
        if not actor:
            actor = self._between(heads)
        hosted = {verb.doc[i].lemma_.lower() for i in match.consumed}
        if entry.cameo == HOST_A_VISIT and not hosted & GATHERINGS:
            # "Syria hosted Iraq's foreign minister": PLOVER makes the visitor the actor, the host the recipient
            visitors = [r for i in sorted(match.consumed) for r in resolve(verb.doc[i])]
            actor, recipient = visitors or recipient, actor
        return actor, recipient

    def _between(self, heads: list[Token]) -> list[ActorRef]:
        """ "an agreement reached between Baghdad, Erbil and the oil companies": the parties are the actors."""
        for head in heads:
            for prep in _children(head, {"prep"}):
                if prep.lower_ in {"between", "among", "amongst"}:
                    return [r for pobj in _children(prep, {"pobj"}) for r in self.resolver.resolve(pobj)]
        return []

    def _judged_roles(self, match: _Match) -> tuple[list[ActorRef], list[ActorRef]]:
        """The one who says it judges; what the copula's subject names is judged."""
        copula = match.trigger.head
        speaker = _according_to(copula)
        if speaker is None:
            saying = next(a for a in copula.ancestors if a.lemma_.lower() in SPEECH_VERBS)
            speaker = self._subject(saying)
        actor = self.resolver.resolve(speaker) if speaker is not None else []
        subjects = _children(copula, SUBJECT_DEPS)
        recipient = self.resolver.resolve(subjects[0]) if subjects else []
        return actor, recipient

    def _noun_roles(self, match: _Match) -> tuple[list[ActorRef], list[ActorRef]]:
        noun = match.trigger
        resolve = self.resolver.resolve
        actor: list[ActorRef] = []
        recipient: list[ActorRef] = []
        for child in noun.children:
            if child.dep_ in {"amod", "compound", "poss", "nmod"} and child.i < noun.i:
                actor += resolve(child)
            elif child.dep_ in {"prep", "agent"}:
                pobjs = _children(child, {"pobj"})
                if child.lemma_.lower() == "by":
                    for pobj in pobjs:
                        actor += resolve(pobj)
                elif child.lemma_.lower() in RECIPIENT_PREPS | {"in"}:
                    for pobj in pobjs:
                        recipient += resolve(pobj)
        if not actor:
            actor = self._between([noun])
        governor = noun.head.head if noun.dep_ == "pobj" else noun.head
        if not actor and noun.dep_ in OBJECT_DEPS | {"pobj"} and governor.pos_ in {"VERB", "AUX"}:
            subject = self._subject(governor)
            if subject is not None:
                actor += resolve(subject)
        return actor, recipient

    # --- modality ----------------------------------------------------------------------------------------
    @staticmethod
    def _embedding_heads(token: Token) -> list[Token]:
        """Verbs that take this event as their content: "threatened to strike", "urged Iran to withdraw"."""
        heads = []
        while token.head is not token and (
            token.dep_ == "xcomp" or (token.dep_ in {"ccomp", "advcl"} and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in token.children))
        ):
            token = token.head
            heads.append(token)
        return heads

    def _governors(self, token: Token) -> list[Token]:
        chain = []
        while (token.dep_ in {"xcomp", "ccomp", "pcomp", "pobj", "prep", "conj", "dobj"} or _purpose(token)) \
                and token.head is not token:
            token = token.head
            chain.append(token)
            if token.pos_ in {"VERB", "AUX"} and token.dep_ not in {"xcomp", "pcomp", "prep", "pobj"}:
                break
        return chain

    def _aux(self, match: _Match) -> list[str]:
        trigger = match.trigger
        aux: list[str] = []
        clause = [trigger, *self._governors(trigger)]
        anchor = trigger.head if match.entry.noun and trigger.head is not trigger else trigger
        if match.entry.noun:
            clause.append(anchor)
        negated = any(c.dep_ == "neg" for t in clause for c in t.children)
        # a governor counts for what it takes as content, not for a verb joined to it ("set lorries alight, and
        # South Africa closed the border": "set" makes nothing future)
        governing = [t for child, t in pairwise(clause) if child.dep_ not in {"conj", "advcl"}]
        negated |= any(t.lemma_.lower() in NEGATING_GOVERNORS for t in governing)
        # "denied that its troops had started the fighting": the clause the denial takes as its content
        negated |= any(t.dep_ == "ccomp" and t.head.lemma_.lower() in NEGATING_GOVERNORS for t in clause)
        negated |= any(c.lower_ in {"no", "never"} and c.dep_ in {"det", "neg", "advmod"} for c in trigger.children)
        # "No curfew was imposed", "no journalists were detained": a negated object or subject
        negated |= any(c.lower_ == "no" and c.dep_ == "det" for i in match.consumed
                       for c in trigger.doc[i].children)
        negated |= any(c.lower_ in {"no", "none", "neither"} and c.dep_ == "det" for s in trigger.children
                       if s.dep_ in {"nsubj", "nsubjpass"} for c in [s, *s.children])
        # "None of the soldiers has left", "Nobody was arrested"
        negated |= any(s.lower_ in NEGATIVE_SUBJECTS for s in trigger.children if s.dep_ in {"nsubj", "nsubjpass"})
        if negated:
            aux.append("negation")
        auxes = {c.lower_ for t in clause for c in t.children if c.dep_ in {"aux", "auxpass"}}
        future = bool(auxes & FUTURE_AUX)
        future |= any(t.lemma_.lower() in FUTURE_GOVERNORS for t in governing)
        # "is due in Chisinau next week to discuss": the copula's complement
        future |= any(c.dep_ == "acomp" and c.lemma_.lower() in FUTURE_GOVERNORS
                      for t in clause[1:] for c in t.children)
        future |= any(c.lower_ in FUTURE_MODIFIERS for c in trigger.children if c.dep_ == "amod")
        if future:
            aux.append("future")
        hypothetical = bool(auxes & HYPOTHETICAL_AUX)
        hypothetical |= any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKS for t in clause for c in t.children)
        if hypothetical:
            aux = [a for a in aux if a != "future"] + ["hypothetical"]
        return aux

    def _embedded_in_other_event(self, match: _Match, triggers: dict[int, _Match]) -> bool:
        """ "threatened to attack", "urged Iran to withdraw", "accused Kyiv of launching drones", "launched
        drones, killing three": PLOVER codes the governing event only."""
        trigger = match.trigger
        if (trigger.dep_ == "advcl" and trigger.tag_ == "VBG" and trigger.head.i in triggers
                and triggers[trigger.head.i].entry.event_type == match.entry.event_type):
            return True  # a participle that continues the same act ("launched drones, killing three")
        for governor in self._embedding_heads(trigger):
            if governor.i in triggers and governor.lemma_.lower() not in NEGATING_GOVERNORS:
                return True
        token = trigger
        while token.dep_ in EMBEDDING_DEPS and token.head is not token:
            if token.dep_ == "advcl" and not any(c.lower_ == "to" for c in token.children):
                break
            token = token.head
            governing = triggers.get(token.i)
            if governing is not None:
                return (governing.entry.event_type in CONTENT_TYPES
                        and token.lemma_.lower() not in NEGATING_GOVERNORS)
        return False

    def _claimed_by(self, trigger: Token) -> ActorRef | None:
        token = trigger
        while token.dep_ in {"conj", "xcomp", "advcl"} and token.head is not token:
            token = token.head
        if token.dep_ == "ccomp" and token.head.lemma_.lower() in SPEECH_VERBS:
            subject = self._subject(token.head)
            if subject is not None:
                refs = self.resolver.resolve(subject)
                return refs[0] if refs else None
        return None

    def _contexts(self, sent: Span, entry: LexiconEntry) -> list[str]:
        return list(dict.fromkeys([*entry.context, *self._keyword_contexts(sent)]))

    def _keyword_contexts(self, sent: Span) -> list[str]:
        """Contexts the sentence's words name (longest phrases first), computed once per sentence."""
        if sent.start not in self._sentence_contexts:
            keywords, firsts = self.lexicon.context_keywords, self.lexicon.context_first_words
            lemmas = [t.lemma_.lower() for t in sent]
            starts = [i for i, lemma in enumerate(lemmas) if lemma in firsts]
            found = [keywords.get(" ".join(lemmas[i : i + n])) for n in (3, 2, 1) for i in starts
                     if i + n <= len(lemmas)]
            self._sentence_contexts[sent.start] = list(dict.fromkeys(c for c in found if c))
        return self._sentence_contexts[sent.start]

    # --- events ------------------------------------------------------------------------------------------
    def code_sentence(self, sent: Span, cats: dict[str, float] | None = None, typing: str = "lexicon") -> list[Event]:
        """Events of one sentence. `typing`: "lexicon" (trigger lexicon only), "model" (the classifier's
        type for the sentence, on its main verb), or "combined" (lexicon triggers, dropped when the
        classifier is sure the sentence states no event, plus the classifier's type where the lexicon
        finds nothing)."""
        cats = cats or {}
        label, probability = max(cats.items(), key=lambda kv: kv[1]) if cats else (NONE_LABEL, 0.0)
        if typing == "model":
            matches = self._model_match(sent, label, probability, MODEL_THRESHOLD)
        else:
            matches = find_triggers(sent)
            if typing == "combined":
                if cats.get(NONE_LABEL, 0.0) >= VETO_THRESHOLD:
                    matches = [m for m in matches if m.entry.specificity > 0]
                if not matches:
                    matches = self._model_match(sent, label, probability, ADD_THRESHOLD)
        trigger_ids = {m.trigger.i: m for m in matches}
        events: list[Event] = []
        seen: set[tuple] = set()
        for match in matches:
            if self._embedded_in_other_event(match, trigger_ids):
                continue
            if match.entry is JUDGED_ENTRY:
                roles = self._judged_roles(match)
            else:
                roles = self._noun_roles(match) if match.entry.noun else self._verb_roles(match)
            actor, recipient = roles
            unattributed = match.entry.event_type in UNATTRIBUTED_TYPES and (
                _passive(match.trigger) or (match.entry.noun and match.trigger.dep_ in {"nsubj", "nsubjpass"}))
            if not actor and not unattributed:
                continue
            actor_ids = {a.entity_id for a in actor}
            recipient = [r for r in recipient if r.entity_id not in actor_ids]
            key = (match.entry.event_type, match.entry.cameo, frozenset(a.country_code or a.entity_id for a in actor))
            if key in seen:
                continue
            seen.add(key)
            events.append(self._event(sent, match, actor, recipient))
        return events

    def _model_match(self, sent: Span, label: str, probability: float, threshold: float) -> list[_Match]:
        if label == NONE_LABEL or probability < threshold:
            return []
        verbs = [t for t in sent if t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"aux", "auxpass"}]
        if not verbs:
            return []
        trigger = sent.root if sent.root in verbs else verbs[0]
        if trigger.lemma_.lower() in SPEECH_VERBS:
            trigger = next((c for c in trigger.children if c.dep_ == "ccomp" and c.pos_ in {"VERB", "AUX"}),
                           trigger)
        entry = LexiconEntry(event_type=label, cameo=self.lexicon.default_cameo(label))
        return [_Match(trigger, entry, set(), confidence=round(probability, 4))]

    def _event(self, sent: Span, match: _Match, actor: list[ActorRef], recipient: list[ActorRef]) -> Event:
        entry, trigger = match.entry, match.trigger
        # "give $15 million to the UN agency": the phrase and its noun are one recipient, named once
        actor, recipient = _distinct(actor), _distinct(recipient)
        aux = self._aux(match)
        event_type, code, mode = entry.event_type, entry.cameo, entry.mode
        # the head of the actor phrase: "protesters", "supporters of the former president"
        crowd = any(a.raw_text.lower().split()[-1] in CROWDS or a.raw_text.lower().split(" of ")[0].split()[-1]
                    in CROWDS for a in actor if a.raw_text.strip())
        if event_type in {"ASSAULT", "COERCE"} and crowd:
            # violence by protesters or crowds is a riot: PLOVER's PROTEST, mode riot
            event_type, code, mode = "PROTEST", RIOT, "riot"
        elif event_type in {"REQUEST", "ACCUSE", "REJECT"} and crowd:
            # protesters demanding or denouncing are protesting
            event_type, code, mode = "PROTEST", DEMONSTRATE, "demo"
        elif (event_type == "ASSAULT" and not recipient and trigger.lemma_.lower() in LAUNCH_VERBS
              and any(trigger.doc[i].lemma_.lower() in MISSILES for i in match.consumed)
              and not any(c.dep_ == "prep" and c.lower_ in TARGET_PREPS for c in trigger.children)):
            # missiles fired at no one ("fired an ICBM into the sea") are a show of force, not an attack
            event_type, code, mode = "MOBILIZE", SHOW_OF_FORCE, "weapons"
        elif event_type == "MOBILIZE" and (len({a.country_code for a in actor if a.country_code}) > 1
                                            or _done_jointly(trigger)):
            # exercises by two countries' forces together ("joint drills", "flew together") are cooperation
            event_type, code, mode = "COOPERATE", MILITARY_COOPERATION, None
        if event_type in REFUSABLE and _refused(trigger):
            # "Germany will not send the missiles", "the army would not attend the talks": a refusal, REJECT
            event_type, code, mode = "REJECT", REFUSE, None
            aux = [a for a in aux if a not in {"negation", "future", "hypothetical"}]
        elif event_type in FUTURE_AS_INTENT and "future" in aux:
            # the manual: cooperative actions reported in the future tense are intentions, coded AGREE
            event_type, code, mode = "AGREE", FUTURE_AS_INTENT[event_type], None
        elif event_type == "RETREAT" and "future" in aux:
            # the manual: an announced (future) retreat is a CONCEDE
            event_type, code, mode = "CONCEDE", ANNOUNCED_RETREAT, None
        elif event_type in {"ASSAULT", "COERCE"} and {"future", "hypothetical"} & set(aux) and _on_condition(trigger):
            # "would kill the hostages unless the government freed ...": violence promised on a condition is a threat
            event_type, code, mode = "THREATEN", THREATEN_FORCE, "violence"
            aux = [a for a in aux if a not in {"future", "hypothetical"}]
        cameo = self.lexicon.cameo.get(code)
        return Event(
            id=content_id(self.article_id, event_type, trigger.idx, trigger.idx + len(trigger.text)),
            event_type=event_type,
            mode=[mode] if mode else [],
            context=self._contexts(sent, entry),
            aux=aux,
            actor=actor,
            recipient=recipient,
            date=self.article_date,
            date_inferred=True,
            cameo=code,
            goldstein=cameo.goldstein if cameo else None,
            quad=cameo.quad if cameo and cameo.quad else None,
            plover_score=self.lexicon.plover_score(event_type, mode),
            claimed_by=self._claimed_by(trigger),
            confidence=match.confidence,
            trigger=trigger.text,
            evidence=Evidence(start=sent.start_char, end=sent.end_char, trigger_start=trigger.idx,
                              trigger_end=trigger.idx + len(trigger.text), sentence=sent.text),
            coder=CODER if match.confidence == 1.0 else MODEL_CODER,
        )


def _dyad_key(event: Event) -> tuple:
    return (event.event_type, event.cameo, tuple(sorted(event.aux)),
            frozenset(a.country_code or a.entity_id for a in event.actor),
            frozenset(r.country_code or r.entity_id for r in event.recipient))


def code_events(doc: Doc, resolver: ActorResolver, article_id: str, article_date: str | None,
                typing: str = "lexicon") -> list[Event]:
    """Events of an article. A later sentence that restates an event already coded (same type, CAMEO code,
    modality, actors and recipients: "They rammed us," the spokesman said) adds no second event."""
    coder = EventCoder(resolver, article_id, article_date)
    sentences = event_sentences(doc)
    all_cats = sentence_cats(doc, sentences) if typing != "lexicon" else [{}] * len(sentences)
    events: list[Event] = []
    seen: set[tuple] = set()
    for sent, cats in zip(sentences, all_cats, strict=True):
        for event in coder.code_sentence(sent, cats, typing):
            key = _dyad_key(event)
            if key not in seen or not event.actor:
                seen.add(key)
                events.append(event)
    return events
