"""Generate a synthetic news corpus for the extraction benchmarks (JSON Lines, one article per line).

Articles of 300-900 words mix sentences built from templates (actors, verbs, places, dates, quotes)
with sentences taken from examples/articles; about one in six carries an Arabic passage and one in
five an embedded post (tweet shape).  Every article is unique: each has its own serial number, seed and
sentence choice, so neither the content-hash ids nor the near-duplicate finder fold them together.

    python bench/make_corpus.py --n 2000 --out /tmp/corpus.jsonl [--seed 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

COUNTRIES = [
    ("Iraq", "Iraqi", "Baghdad"), ("Syria", "Syrian", "Damascus"), ("Turkey", "Turkish", "Ankara"),
    ("Egypt", "Egyptian", "Cairo"), ("Jordan", "Jordanian", "Amman"), ("Lebanon", "Lebanese", "Beirut"),
    ("Iran", "Iranian", "Tehran"), ("Israel", "Israeli", "Jerusalem"), ("Saudi Arabia", "Saudi", "Riyadh"),
    ("Qatar", "Qatari", "Doha"), ("Sudan", "Sudanese", "Khartoum"), ("Libya", "Libyan", "Tripoli"),
    ("Tunisia", "Tunisian", "Tunis"), ("Algeria", "Algerian", "Algiers"), ("Morocco", "Moroccan", "Rabat"),
    ("France", "French", "Paris"), ("Russia", "Russian", "Moscow"), ("Ukraine", "Ukrainian", "Kyiv"),
    ("China", "Chinese", "Beijing"), ("Kenya", "Kenyan", "Nairobi"), ("India", "Indian", "New Delhi"),
    ("Pakistan", "Pakistani", "Islamabad"), ("Yemen", "Yemeni", "Sanaa"), ("Somalia", "Somali", "Mogadishu"),
]  # fmt: skip
OFFICIALS = ["foreign minister", "defence minister", "prime minister", "president", "interior minister",
             "army chief", "spokesman for the government", "envoy"]
FIRST = ["Ahmed", "Mohammed", "Fatima", "Layla", "Omar", "Youssef", "Karim", "Nadia", "Hassan", "Samir", "Rania",
         "Tariq", "Mariam", "Khaled", "Salma", "Walid", "Amina", "Bilal", "Hana", "Ziad"]
LAST = ["al-Hassan", "Haddad", "Mansour", "Khoury", "al-Amin", "Nasser", "Saleh", "Farouk", "Aziz", "Rahman",
        "al-Tamimi", "Barakat", "Kassem", "Hamdan", "Suleiman", "Darwish", "Jaber", "Qasim", "Yassin", "Othman"]
WEEKDAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday"]

TEMPLATES = [
    "{A_adj} {off_a} {name_a} met {B_adj} counterpart {name_b} in {B_cap} {day} to discuss border security.",
    "{A} accused {B} of violating the ceasefire near {B_cap} {day}, according to a statement.",
    "Thousands of protesters marched in {A_cap} {day} demanding the release of detained journalists.",
    "{A_adj} forces launched air strikes on positions outside {B_cap} {day}, killing at least {n} people.",
    "{A} and {B} signed an agreement {day} to expand trade and reopen the main crossing.",
    "The {A_adj} government imposed sanctions on {n} {B_adj} officials {day}.",
    "{A} sent {n} tonnes of humanitarian aid to {B} {day}, the {A_adj} {off_a} said.",
    "\u201cWe will not accept any interference in our internal affairs,\u201d {name_a} told reporters in {A_cap}.",
    "{A_adj} police arrested {n} people in {A_cap} {day} after clashes with demonstrators.",
    "{B} rejected the proposal put forward by {A} {day}, calling it unacceptable.",
    "The {A_adj} {off_a} called on {B} to withdraw its troops from the disputed area.",
    "{A} threatened to expel {B_adj} diplomats if the detained citizens were not released.",
    "{A_adj} troops withdrew from {n} positions near the border {day}, a military source said.",
    "Officials from {A} and {B} will hold talks in {C_cap} next week, {name_b} said.",
    "{A} recalled its ambassador to {B} for consultations {day}.",
    "{A_adj} and {B_adj} negotiators agreed {day} on a prisoner exchange involving {n} detainees.",
    "The United Nations urged {A} and {B} to resume dialogue after the clashes in {C_cap}.",
    "{A_adj} authorities said {day} that {n} rockets had been fired towards {A_cap} from across the border.",
    "{name_a}, the {A_adj} {off_a}, said his country would support reconstruction in {B}.",
    "Analysts in {C_cap} said the move reflected growing tension between {A} and {B}.",
]
ARABIC = [
    "وقال المتحدث باسم الحكومة إن المحادثات ستستأنف الأسبوع المقبل.",
    "استقبل الرئيس وفدا رفيع المستوى في العاصمة.",
    "أدانت وزارة الخارجية الهجوم ودعت إلى ضبط النفس.",
]


def example_sentences() -> list[str]:
    out: list[str] = []
    for path in sorted((REPO / "examples" / "articles").glob("*.txt")):
        body = path.read_text(encoding="utf-8").split("\n", 1)[1]
        for para in body.split("\n"):
            if "pic.twitter.com" in para or re.search("[\u0600-\u06ff]", para):
                continue
            out.extend(s.strip() for s in re.split(r"(?<=[.!?\u201d])\s+(?=[A-Z\u201c])", para) if len(s.split()) > 5)
    return out


def make_article(n: int, rng: random.Random, pool: list[str]) -> dict:
    words_target = rng.randint(300, 900)
    a, b, c = rng.sample(COUNTRIES, 3)
    date = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(600))

    def fill(template: str) -> str:
        return template.format(
            A=a[0], A_adj=a[1], A_cap=a[2], B=b[0], B_adj=b[1], B_cap=b[2], C_cap=c[2],
            off_a=rng.choice(OFFICIALS), name_a=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            name_b=f"{rng.choice(FIRST)} {rng.choice(LAST)}", day=rng.choice(WEEKDAYS), n=rng.randint(2, 400),
        )

    paragraphs: list[str] = []
    words = 0
    while words < words_target:
        sentences = [fill(rng.choice(TEMPLATES)) if rng.random() < 0.55 else rng.choice(pool)
                     for _ in range(rng.randint(2, 4))]
        para = " ".join(sentences)
        paragraphs.append(para)
        words += len(para.split())
    # a unique closing line: the serial number keeps every article (and its id) distinct
    paragraphs.append(f"This report, number {n}, was filed from {a[2]} with contributions from {c[2]}.")
    if rng.random() < 1 / 6:
        paragraphs.insert(rng.randrange(1, len(paragraphs)), rng.choice(ARABIC))
    if rng.random() < 1 / 5:
        handle = f"@{a[0].replace(' ', '')}MFA"
        post = (f"{fill(rng.choice(TEMPLATES))} pic.twitter.com/{n:06d}Xq\u2014 {a[1]} Foreign Ministry ({handle}) "
                f"{date.strftime('%B')} {date.day}, {date.year}")
        paragraphs.insert(rng.randrange(1, len(paragraphs)), post)
    title = fill(rng.choice(TEMPLATES)).split(",")[0][:90]
    return {"id": f"bench-{n:07d}", "date": date.isoformat(), "title": title, "source": f"Bench Wire {n % 7}",
            "text": "\n\n".join(paragraphs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles to write")
    parser.add_argument("--out", type=Path, required=True, help="JSON Lines file to write")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    pool = example_sentences()
    words = 0
    with args.out.open("w", encoding="utf-8") as f:
        for n in range(args.n):
            article = make_article(n, random.Random(args.seed * 1_000_003 + n), pool)
            words += len(article["text"].split())
            f.write(json.dumps(article, ensure_ascii=False) + "\n")
    print(f"{args.n} articles, {words} words ({words / max(1, args.n):.0f} per article) -> {args.out}")


if __name__ == "__main__":
    main()
