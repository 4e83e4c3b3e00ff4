"""`python -m diurna.train` (`make train`): train the event-type classifier on training/events/*.jsonl and
write it into the package (src/diurna/data/models/event_type). Deterministic for a given corpus and seed."""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import spacy
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from diurna.events.classifier import NONE_LABEL, model_path
from diurna.records import EVENT_TYPES

LABELS = (*EVENT_TYPES, NONE_LABEL)


def read_corpus(folder: Path) -> dict[str, list[tuple[str, str]]]:
    splits: dict[str, list[tuple[str, str]]] = {"train": [], "dev": []}
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            label = row["event_type"]
            if "negation" in (row.get("aux") or []):
                label = NONE_LABEL  # a negated event did not happen: the classifier learns to say so
            splits.setdefault(row.get("split", "train"), []).append((row["text"], label))
    return splits


def build(corpus: Path, output: Path, epochs: int = 12, seed: int = 0) -> dict[str, float]:
    fix_random_seed(seed)
    splits = read_corpus(corpus)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
        "no_output_layer": False, "length": 2**16,
    }})
    for label in LABELS:
        textcat.add_label(label)

    def examples(rows: list[tuple[str, str]]) -> list[Example]:
        return [Example.from_dict(nlp.make_doc(text), {"cats": {lab: float(lab == label) for lab in LABELS}})
                for text, label in rows]

    train, dev = examples(splits["train"]), examples(splits["dev"])
    optimizer = nlp.initialize(lambda: train)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(train)
        losses: dict[str, float] = {}
        for batch in minibatch(train, size=32):
            nlp.update(batch, sgd=optimizer, losses=losses)
    scores = nlp.evaluate(dev)
    output.mkdir(parents=True, exist_ok=True)
    nlp.meta.update({"name": "diurna_event_type", "version": "0.1.0",
                     "description": "diurna event-type classifier (PLOVER types + NONE), bag of words",
                     "license": "Apache-2.0"})
    nlp.to_disk(output)
    return {"train_sentences": len(train), "dev_sentences": len(dev), "dev_macro_f1": scores["cats_macro_f"],
            "dev_accuracy": scores.get("cats_score", 0.0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("training/events"))
    parser.add_argument("--output", type=Path, default=model_path())
    parser.add_argument("--epochs", type=int, default=12)
    args = parser.parse_args()
    print(json.dumps(build(args.corpus, args.output, args.epochs), indent=2))


if __name__ == "__main__":
    main()
