#!/usr/bin/env python3
"""Validate the diurna event-type training corpus (training/events/*.jsonl).

Checks every line for the required fields and allowed values (PLOVER 2 event
types, modes per type, context names, auxiliary modes), that the trigger is an
exact substring of the text, that every sentence is unique across the corpus
(exactly and after normalising case/punctuation/whitespace), and that each type
meets its minimum size. Prints counts per type and split, plus the share of
negated and future-marked examples. Exit status is 1 if any check fails.

Usage: python training/check_corpus.py [--dir training/events]
"""
import argparse
import collections
import json
import os
import re
import sys

TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
         "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
         "MOBILIZE", "COERCE", "ASSAULT"]
MODES = {
    "AGREE": set(), "SUPPORT": set(), "CONCEDE": set(), "COOPERATE": set(), "AID": set(),
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport",
               "withhold", "misinformation", "cyber"},
    "ASSAULT": {"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive",
                "firearms", "explosives", "suicide-attack", "aerial", "drone",
                "heavy-weapons", "crowd-control", "unconventional"},
    "NONE": set(),
}
CONTEXTS = {
    "military", "intelligence", "executive", "legislative", "election",
    "political_institutions", "pro_democracy", "pro_autocracy", "economic", "legal",
    "reparations", "human_rights", "rights_freedoms", "repression", "human_security",
    "gender", "lgbt", "religion_ethnicity", "inequality", "diplomatic", "territory",
    "peacekeeping", "health", "asylum", "migration", "disasters", "natural_resource",
    "environment", "technology", "terrorism", "cbrn", "cyber", "misinformation", "crime",
    "corruption", "illegal_drugs", "trafficking",
}
AUX = {"negation", "future", "hypothetical", "historical"}
FIELDS = {"text", "event_type", "mode", "context", "aux", "trigger", "split"}
MIN_PER_TYPE = 170
MIN_NONE = 600


def norm(text):
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=os.path.join(here, "events"))
    args = ap.parse_args()

    errors = []
    counts = collections.Counter()
    splits = collections.defaultdict(collections.Counter)
    auxc = collections.defaultdict(collections.Counter)
    seen, seen_norm = {}, {}

    for label in TYPES + ["NONE"]:
        path = os.path.join(args.dir, label + ".jsonl")
        if not os.path.exists(path):
            errors.append(f"missing file {path}")
            continue
        with open(path, encoding="utf-8") as f:
            for ln, line in enumerate(f, 1):
                where = f"{label}.jsonl:{ln}"
                if not line.strip():
                    errors.append(f"{where}: empty line")
                    continue
                try:
                    r = json.loads(line)
                except json.JSONDecodeError as e:
                    errors.append(f"{where}: bad JSON ({e})")
                    continue
                if set(r) != FIELDS:
                    errors.append(f"{where}: fields {sorted(r)} != {sorted(FIELDS)}")
                    continue
                text, et = r["text"], r["event_type"]
                if not isinstance(text, str) or not text.strip() or text != text.strip():
                    errors.append(f"{where}: empty text or stray whitespace")
                    continue
                if et != label:
                    errors.append(f"{where}: event_type {et!r} in file {label}.jsonl")
                mode = r["mode"]
                if mode is not None and mode not in MODES.get(et, set()):
                    errors.append(f"{where}: mode {mode!r} not valid for {et}")
                if not isinstance(r["context"], list) or any(c not in CONTEXTS for c in r["context"]):
                    errors.append(f"{where}: bad context {r['context']!r}")
                if not isinstance(r["aux"], list) or any(a not in AUX for a in r["aux"]):
                    errors.append(f"{where}: bad aux {r['aux']!r}")
                trig = r["trigger"]
                if et == "NONE":
                    if trig is not None or mode is not None or r["context"] or r["aux"]:
                        errors.append(f"{where}: NONE rows need null trigger/mode and empty context/aux")
                elif not isinstance(trig, str) or not trig or trig not in text:
                    errors.append(f"{where}: trigger {trig!r} is not a substring of the text")
                if r["split"] not in ("train", "dev"):
                    errors.append(f"{where}: split {r['split']!r}")
                if text in seen:
                    errors.append(f"{where}: duplicate of {seen[text]}")
                else:
                    seen[text] = where
                n = norm(text)
                if n in seen_norm and seen[text] == where:
                    errors.append(f"{where}: near-duplicate of {seen_norm[n]}")
                seen_norm.setdefault(n, where)
                counts[et] += 1
                splits[et][r["split"]] += 1
                for a in r["aux"]:
                    auxc[et][a] += 1

    print(f"{'type':<10} {'total':>6} {'train':>6} {'dev':>5} {'dev%':>5} {'neg%':>5} {'fut%':>5}")
    for label in TYPES + ["NONE"]:
        n = counts[label]
        if not n:
            continue
        tr, dv = splits[label]["train"], splits[label]["dev"]
        print(f"{label:<10} {n:>6} {tr:>6} {dv:>5} {100*dv/n:>5.1f} "
              f"{100*auxc[label]['negation']/n:>5.1f} {100*auxc[label]['future']/n:>5.1f}")
        minimum = MIN_NONE if label == "NONE" else MIN_PER_TYPE
        if n < minimum:
            errors.append(f"{label}: only {n} examples (minimum {minimum})")
    tot = sum(counts.values())
    tr = sum(s["train"] for s in splits.values())
    print(f"{'ALL':<10} {tot:>6} {tr:>6} {tot-tr:>5} {100*(tot-tr)/max(tot,1):>5.1f}")

    if errors:
        print(f"\n{len(errors)} problem(s):", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    print("\nOK: corpus is valid.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
