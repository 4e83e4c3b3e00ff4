"""Validate the packaged data tables under src/diurna/data (events/ and actors/).

Format checks always run. Checks against the PLOVER reference (names of types, modes, contexts and sectors
as the manual defines them; the CAMEO2PLOVER table) read ``shared/ref/plover`` next to the repository and
are skipped when it is absent.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache
from itertools import combinations
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "src" / "diurna" / "data"
REF = Path(__file__).resolve().parents[2] / "shared" / "ref" / "plover"
MANUAL = REF / "PLOVER_MANUAL.tex"
C2P = REF / "CAMEO2PLOVER-2021.txt"

EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
QUADS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
# PLOVER type of each CAMEO cue category (manual, "CAMEO to PLOVER translation"); 08 is split by 3-digit code.
CUE_TYPE = {
    "03": "AGREE", "04": "CONSULT", "05": "SUPPORT", "06": "COOPERATE", "07": "AID", "09": "ACCUSE",
    "10": "REQUEST", "11": "ACCUSE", "12": "REJECT", "13": "THREATEN", "14": "PROTEST", "15": "MOBILIZE",
    "16": "SANCTION", "17": "COERCE", "18": "ASSAULT", "19": "ASSAULT", "20": "ASSAULT",
}
LEMMA = re.compile(r"^[a-z][a-z\-]*[a-z]$")
LEXICON_KEYS = {"event_type", "cameo", "mode", "context", "verb", "noun", "object", "prep", "particle", "xcomp",
                "subject"}
MIN_PER_TYPE = 15
MIN_TOTAL = 400

needs_ref = pytest.mark.skipif(not (MANUAL.is_file() and C2P.is_file()),
                               reason="PLOVER reference material (shared/ref/plover) not available")


# ----------------------------------------------------------------------------- loaders

def read_tsv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        lines = f.read().splitlines()
    assert lines, f"{path} is empty"
    header = lines[0].split("\t")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        assert line.strip(), f"{path.name}:{n}: blank line"
        cells = line.split("\t")
        assert len(cells) == len(header), f"{path.name}:{n}: {len(cells)} cells, expected {len(header)}"
        assert all(c == c.strip() for c in cells), f"{path.name}:{n}: stray whitespace"
        rows.append(dict(zip(header, cells, strict=True)))
    return header, rows


def variants(cell: str) -> list[str]:
    return [v for v in cell.split("|") if v] if cell else []


@cache
def lexicon() -> list[dict]:
    with (DATA / "events" / "lexicon.yaml").open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    assert isinstance(data, list)
    return data


@cache
def cameo_rows() -> dict[str, dict[str, str]]:
    _, rows = read_tsv(DATA / "events" / "cameo.tsv")
    return {r["cameo"]: r for r in rows}


# ----------------------------------------------------------------------------- reference parsing

@cache
def manual_text() -> str:
    text = MANUAL.read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("%"))


@cache
def manual_contexts() -> frozenset[str]:
    text = manual_text()
    i = text.index("\\label{tab:general-contexts}")
    block = text[i:text.index("\\end{longtable}", i)]
    names = set()
    for line in block.splitlines():
        m = re.match(r"^\s*(?:\\hyperref\[[^\]]*\]\{([^}]*)\}|([a-z][a-z\\_]*))\s*&", line)
        if m:
            names.add((m.group(1) or m.group(2)).replace("\\_", "_"))
    return frozenset(names)


@cache
def manual_modes() -> dict[str, frozenset[str]]:
    text = manual_text()
    heads = [(m.start(), m.group(1)) for m in re.finditer(r"\\section\{([A-Z]+)\}", text)]
    modes: dict[str, frozenset[str]] = {}
    for k, (pos, name) in enumerate(heads):
        if name not in EVENT_TYPES:
            continue
        nxt = heads[k + 1][0] if k + 1 < len(heads) else len(text)
        chap = text.find("\\chapter{", pos)
        end = min(nxt, chap) if chap != -1 else nxt
        found = set()
        for line in text[pos:end].splitlines():
            m = re.match(r"^\s*([a-z][a-z\-]*)\s*&", line)
            if m:
                found.add(m.group(1))
        modes[name] = frozenset(found)
    return modes


@cache
def manual_sectors() -> frozenset[str]:
    text = manual_text()
    i = text.index("\\label{tab:roles}")
    block = text[i:text.index("\\end{longtable}", i)]
    return frozenset(re.findall(r"^\s*([A-Z]{3})\s*&", block, flags=re.M))


@cache
def manual_nonstate() -> frozenset[str]:
    text = manual_text()
    i = text.index("\\caption{International Non-state actor names}")
    block = text[i:text.index("\\end{tabular}", i)]
    return frozenset(re.findall(r"^\s*([A-Z]{3})\s*&", block, flags=re.M))


@cache
def manual_scores() -> dict[tuple[str, str], float]:
    text = manual_text()
    i = text.index("\\caption{PLOVER conflict--cooperation scores}")
    body = text[i:text.index("\\end{tabular}", i)]
    scores = {}
    for row in body.split("\\\\"):
        cells = [c.strip() for c in re.sub(r"\\cellcolor\{[^}]*\}", "", row).split("&")]
        if len(cells) != 6:
            continue
        for name, score in zip(cells[0::2], cells[1::2], strict=True):
            name = name.replace("\\hline", "").strip()
            if not name or "textbf" in name:
                continue
            et, _, mode = name.partition(":")
            scores[(et.strip(), mode.strip().lower())] = float(score)
    return scores


@cache
def c2p() -> list[tuple[str, str, str, str, str]]:
    rows = []
    for line in C2P.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d{2,4}):\s*([^#]*)#?\s*(.*)$", line)
        if not m:
            continue
        parts = [p.strip() for p in m.group(2).split(",")] + ["", ""]
        ctx = "|".join(c.strip() for c in parts[2].split(";") if c.strip())
        rows.append((m.group(1), parts[0], parts[1], ctx, m.group(3).strip()))
    return rows


def allowed_types(code: str) -> set[str]:
    """PLOVER types a CAMEO code may carry: every type CAMEO2PLOVER gives it, plus its cue category's type."""
    types = {et for c, et, *_ in c2p() if c == code}
    root = code[:2]
    if root == "08":
        if len(code) == 2 or code[:3] == "080":
            types |= {"CONCEDE", "RETREAT"}
        else:
            types.add("CONCEDE" if code[:3] in ("081", "082", "083") else "RETREAT")
    elif root in CUE_TYPE:
        types.add(CUE_TYPE[root])
    return types


# ----------------------------------------------------------------------------- lexicon.yaml

def _entry_id(e: dict) -> str:
    return f"{e.get('event_type')}/{e.get('cameo')}/{e.get('verb') or e.get('noun')}"


def test_lexicon_entry_format():
    for e in lexicon():
        assert isinstance(e, dict), e
        assert set(e) <= LEXICON_KEYS, f"{_entry_id(e)}: unknown keys {set(e) - LEXICON_KEYS}"
        assert e["event_type"] in EVENT_TYPES, _entry_id(e)
        assert isinstance(e["cameo"], str) and re.fullmatch(r"\d{2,4}", e["cameo"]), _entry_id(e)
        assert ("verb" in e) != ("noun" in e), f"{_entry_id(e)}: exactly one of verb/noun"
        head = e.get("verb") or e.get("noun")
        assert isinstance(head, str) and LEMMA.match(head), f"{_entry_id(e)}: bad lemma {head!r}"
        if "noun" in e:
            assert not set(e) & {"object", "prep", "particle", "xcomp"}, f"{_entry_id(e)}: noun with verb slots"
        for key in ("object", "xcomp", "context"):
            if key in e:
                v = e[key]
                assert isinstance(v, list) and v, f"{_entry_id(e)}: {key} must be a non-empty list"
                assert len(v) == len(set(v)), f"{_entry_id(e)}: repeated item in {key}"
                for item in v:
                    assert isinstance(item, str) and item == item.lower() and " " not in item, (_entry_id(e), item)
        for key in ("prep", "particle", "mode"):
            if key in e:
                assert isinstance(e[key], str) and re.fullmatch(r"[a-z][a-z\-]*", e[key]), (_entry_id(e), key)


def test_lexicon_coverage():
    counts = Counter(e["event_type"] for e in lexicon())
    assert len(lexicon()) >= MIN_TOTAL
    for t in EVENT_TYPES:
        assert counts[t] >= MIN_PER_TYPE, f"{t}: only {counts[t]} entries"


def test_lexicon_no_duplicate_or_conflicting_keys():
    """Two entries with the same head, prep and particle must differ in their object, xcomp or subject lists."""
    def clash(a, b):
        if a is None and b is None:
            return True
        return a is not None and b is not None and bool(set(a) & set(b))

    groups = defaultdict(list)
    for e in lexicon():
        key = ("verb", e["verb"], e.get("prep"), e.get("particle")) if "verb" in e else ("noun", e["noun"])
        groups[key].append(e)
    problems = []
    for key, entries in groups.items():
        for a, b in combinations(entries, 2):
            if (clash(a.get("object"), b.get("object")) and clash(a.get("xcomp"), b.get("xcomp"))
                    and clash(a.get("subject"), b.get("subject"))):
                problems.append((key, _entry_id(a), _entry_id(b)))
    assert not problems, problems[:10]


def test_lexicon_cameo_codes_exist_and_match_type():
    rows = cameo_rows()
    for e in lexicon():
        assert e["cameo"] in rows, f"{_entry_id(e)}: {e['cameo']} not in cameo.tsv"
        types = {rows[e["cameo"]]["event_type"]}
        root = e["cameo"][:2]
        types.add(CUE_TYPE.get(root, ""))
        if root == "08":
            types |= {"CONCEDE", "RETREAT"} if e["cameo"][:3] in ("08", "080") else (
                {"CONCEDE"} if e["cameo"][:3] in ("081", "082", "083") else {"RETREAT"})
        assert e["event_type"] in types, f"{_entry_id(e)}: cameo {e['cameo']} is {types}"


@needs_ref
def test_lexicon_cameo_type_against_reference():
    for e in lexicon():
        assert e["event_type"] in allowed_types(e["cameo"]), f"{_entry_id(e)}: {allowed_types(e['cameo'])}"


@needs_ref
def test_lexicon_modes_and_contexts_are_manual_names():
    modes, contexts = manual_modes(), manual_contexts()
    for e in lexicon():
        if "mode" in e:
            assert e["mode"] in modes[e["event_type"]], f"{_entry_id(e)}: mode {e['mode']!r}"
        for c in e.get("context", []):
            assert c in contexts, f"{_entry_id(e)}: context {c!r}"


def test_lexicon_key_wordings():
    """A few wordings every coder needs, with the type the manual assigns."""
    def find(**kw):
        return [e for e in lexicon() if all(
            (v in e.get(k, [])) if k in ("object", "xcomp") else e.get(k) == v for k, v in kw.items())]

    expectations = [
        ({"verb": "sign", "object": "agreement"}, "SUPPORT"),
        ({"verb": "hold", "object": "talk"}, "CONSULT"),
        ({"verb": "release", "object": "prisoner"}, "RETREAT"),
        ({"verb": "impose", "object": "sanction"}, "SANCTION"),
        ({"verb": "impose", "object": "curfew"}, "COERCE"),
        ({"verb": "launch", "object": "attack"}, "ASSAULT"),
        ({"verb": "deploy", "object": "troop"}, "MOBILIZE"),
        ({"verb": "send", "object": "aid"}, "AID"),
        ({"verb": "strike", "object": "deal"}, "AGREE"),
        ({"verb": "arrest"}, "COERCE"),
        ({"verb": "shell"}, "ASSAULT"),
        ({"verb": "accuse"}, "ACCUSE"),
        ({"verb": "urge"}, "REQUEST"),
        ({"verb": "reject"}, "REJECT"),
        ({"verb": "threaten"}, "THREATEN"),
        ({"verb": "protest"}, "PROTEST"),
        ({"verb": "withdraw", "object": "troop"}, "RETREAT"),
        ({"verb": "expel", "object": "diplomat"}, "SANCTION"),
        ({"noun": "airstrike"}, "ASSAULT"),
    ]
    for query, etype in expectations:
        hits = find(**query)
        assert hits, f"no entry for {query}"
        assert {h["event_type"] for h in hits} == {etype}, (query, [_entry_id(h) for h in hits])


# ----------------------------------------------------------------------------- cameo.tsv

def test_cameo_table_format():
    header, rows = read_tsv(DATA / "events" / "cameo.tsv")
    assert header == ["cameo", "event_type", "mode", "context", "goldstein", "quad", "description"]
    codes = [r["cameo"] for r in rows]
    assert len(codes) == len(set(codes)), "duplicate CAMEO codes"
    for r in rows:
        code = r["cameo"]
        assert re.fullmatch(r"\d{2,4}", code), code
        assert r["event_type"] in EVENT_TYPES, code
        g = float(r["goldstein"])
        assert -10.0 <= g <= 10.0, code
        root = int(code[:2])
        expected = QUADS[0] if root <= 5 else QUADS[1] if root <= 8 else QUADS[2] if root <= 13 else QUADS[3]
        assert r["quad"] == expected, code
        assert r["description"], code


def test_cameo_goldstein_known_values():
    rows = cameo_rows()
    known = {"03": 4.0, "040": 1.0, "042": 1.9, "043": 2.8, "046": 7.0, "051": 3.4, "057": 8.0, "073": 7.4,
             "0874": 10.0, "090": -2.0, "100": -5.0, "112": -2.0, "120": -4.0, "138": -7.0, "141": -6.5,
             "154": -7.2, "163": -8.0, "173": -5.0, "186": -10.0, "190": -10.0, "204": -10.0}
    for code, value in known.items():
        assert float(rows[code]["goldstein"]) == value, code


@needs_ref
def test_cameo_table_matches_reference():
    rows = cameo_rows()
    first: dict[str, tuple] = {}
    for code, et, mode, ctx, desc in c2p():
        first.setdefault(code, (et, mode, ctx, desc))
    assert set(rows) == set(first), set(rows) ^ set(first)
    for code, (et, mode, ctx, desc) in first.items():
        r = rows[code]
        assert (r["event_type"], r["mode"], r["context"]) == (et, mode, ctx), code
        if desc:
            assert r["description"] == desc, code
    contexts = manual_contexts()
    # CAMEO2PLOVER uses two context labels the manual's context list does not define.
    extra = {c for r in rows.values() for c in variants(r["context"])} - contexts
    assert extra <= {"democracy", "humanitarian"}, extra


# ----------------------------------------------------------------------------- plover_scores.tsv

def test_plover_scores_format():
    header, rows = read_tsv(DATA / "events" / "plover_scores.tsv")
    assert header == ["event_type", "mode", "score"]
    keys = [(r["event_type"], r["mode"]) for r in rows]
    assert len(keys) == len(set(keys))
    defaults = {et for et, mode in keys if mode == ""}
    assert defaults == set(EVENT_TYPES)
    for r in rows:
        assert r["event_type"] in EVENT_TYPES
        assert -10 <= float(r["score"]) <= 10


@needs_ref
def test_plover_scores_match_manual():
    _, rows = read_tsv(DATA / "events" / "plover_scores.tsv")
    table = {(r["event_type"], r["mode"]): float(r["score"]) for r in rows}
    assert table == manual_scores()
    modes = manual_modes()
    for et, mode in table:
        assert mode == "" or mode in modes[et], (et, mode)


# ----------------------------------------------------------------------------- contexts.tsv

def test_contexts_format():
    header, rows = read_tsv(DATA / "events" / "contexts.tsv")
    assert header == ["keyword", "context"]
    pairs = [(r["keyword"], r["context"]) for r in rows]
    assert len(pairs) == len(set(pairs)), "duplicate keyword/context pair"
    for kw, ctx in pairs:
        assert kw == kw.lower() and kw, kw
        assert re.fullmatch(r"[a-z_]+", ctx), ctx


@needs_ref
def test_contexts_cover_every_manual_context():
    _, rows = read_tsv(DATA / "events" / "contexts.tsv")
    contexts = manual_contexts()
    assert len(contexts) >= 30
    per = Counter(r["context"] for r in rows)
    assert set(per) <= contexts, set(per) - contexts
    for c in contexts:
        assert per[c] >= 5, f"context {c} has {per[c]} keywords"


# ----------------------------------------------------------------------------- countries.tsv

NON_STATE = {"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"}


@cache
def countries() -> dict[str, dict[str, str]]:
    header, rows = read_tsv(DATA / "actors" / "countries.tsv")
    assert header == ["alpha3", "name", "aliases", "adjectives", "capitals"]
    codes = [r["alpha3"] for r in rows]
    assert len(codes) == len(set(codes)), "duplicate alpha3"
    return {r["alpha3"]: r for r in rows}


def test_countries_format_and_iso_coverage():
    pycountry = pytest.importorskip("pycountry")
    rows = countries()
    for c in pycountry.countries:
        assert c.alpha_3 in rows, c.alpha_3
        assert rows[c.alpha_3]["name"] == c.name
    assert len(list(pycountry.countries)) == 249
    for code, r in rows.items():
        assert re.fullmatch(r"[A-Z]{3}", code)
        assert r["name"]
        for col in ("aliases", "adjectives", "capitals"):
            assert "||" not in r[col] and not r[col].startswith("|") and not r[col].endswith("|"), (code, col)


def test_countries_special_rows_and_common_names():
    rows = countries()
    assert {"XKX"} | NON_STATE <= set(rows)
    expect_alias = {"USA": ["US", "U.S.", "America"], "GBR": ["UK", "Britain"], "PRK": ["North Korea", "DPRK"],
                    "RUS": ["Russia"], "SYR": ["Syria"], "IRN": ["Iran"], "TUR": ["Turkey", "Türkiye"],
                    "PSE": ["Palestine"], "COD": ["DRC"], "CIV": ["Ivory Coast"], "KOR": ["South Korea"]}
    for code, names in expect_alias.items():
        for n in names:
            assert n in [rows[code]["name"], *variants(rows[code]["aliases"])], (code, n)
    expect_adj = {"IRQ": "Iraqi", "USA": "American", "GBR": "British", "ISR": "Israeli", "ARE": "Emirati",
                  "SAU": "Saudi", "TUR": "Turkish", "FRA": "French", "CHN": "Chinese", "UKR": "Ukrainian"}
    for code, adj in expect_adj.items():
        assert adj in variants(rows[code]["adjectives"]), (code, adj)
    for code, cap in {"USA": "Washington", "UKR": "Kyiv", "RUS": "Moscow", "FRA": "Paris", "JPN": "Tokyo"}.items():
        assert cap in variants(rows[code]["capitals"]), (code, cap)


def test_countries_names_are_unambiguous():
    owner: dict[str, set[str]] = defaultdict(set)
    for code, r in countries().items():
        for col in ("name", "aliases", "adjectives", "capitals"):
            for v in variants(r[col]):
                owner[v.lower()].add(code)
    clashes = {k: v for k, v in owner.items() if len(v) > 1}
    assert not clashes, clashes


def test_countries_sovereign_states_have_adjectives():
    rows = countries()
    missing = [c for c, r in rows.items() if c not in NON_STATE and not r["adjectives"]]
    # only uninhabited / tiny dependencies, Dominica and Congo-Brazzaville (whose demonyms clash) may lack one
    assert set(missing) <= {"ATF", "BVT", "HMD", "IOT", "SGS", "SJM", "UMI", "COG", "DMA"}, missing


@needs_ref
def test_countries_nonstate_codes_are_the_manuals():
    assert manual_nonstate() == NON_STATE
    assert NON_STATE <= set(countries())


# ----------------------------------------------------------------------------- organizations.tsv

def test_organizations():
    header, rows = read_tsv(DATA / "actors" / "organizations.tsv")
    assert header == ["name", "aliases", "country_code", "sector_code", "type"]
    codes = set(countries())
    seen: dict[str, str] = {}
    for r in rows:
        assert r["name"], r
        assert r["country_code"] in codes, r["name"]
        assert r["type"] in ("organization", "group"), r["name"]
        assert r["sector_code"] == "" or re.fullmatch(r"[A-Z]{3}", r["sector_code"]), r["name"]
        forms = [r["name"], *variants(r["aliases"])]
        assert len(forms) == len(set(forms)), f"repeated alias in {r['name']}"
        for v in forms:
            other = seen.setdefault(v.lower(), r["name"])
            assert other == r["name"], f"{v!r} used by {other} and {r['name']}"
    names = {r["name"] for r in rows}
    for must in ("United Nations", "European Union", "NATO", "Hamas", "Hezbollah", "Islamic State", "Houthis",
                 "Taliban", "International Criminal Court", "Amnesty International"):
        assert must in names, must
    assert len(rows) >= 80


@needs_ref
def test_organizations_sector_codes_are_the_manuals():
    _, rows = read_tsv(DATA / "actors" / "organizations.tsv")
    sectors = manual_sectors()
    for r in rows:
        assert r["sector_code"] == "" or r["sector_code"] in sectors, r["name"]


# ----------------------------------------------------------------------------- people.tsv

def test_people():
    header, rows = read_tsv(DATA / "actors" / "people.tsv")
    assert header == ["name", "aliases", "country_code", "sector_code", "title"]
    codes = set(countries())
    seen: dict[str, str] = {}
    for r in rows:
        assert r["name"] and r["title"], r
        assert r["country_code"] in codes, r["name"]
        assert re.fullmatch(r"[A-Z]{3}", r["sector_code"]), r["name"]
        forms = [r["name"], *variants(r["aliases"])]
        for v in forms:
            other = seen.setdefault(v.lower(), r["name"])
            assert other == r["name"], f"{v!r} used by {other} and {r['name']}"
    by_name = {r["name"]: (r["country_code"], r["sector_code"]) for r in rows}
    assert by_name["Volodymyr Zelensky"] == ("UKR", "GOV") and by_name["António Guterres"][0] == "UNO"
    assert len(rows) >= 500


def test_people_fill_what_the_title_leaves_out(code):
    x = code("President Joseph Aoun demanded that Israel withdraw from the five hills.")
    aoun = next(e for e in x.entities if e.name == "Joseph Aoun")
    assert (aoun.country_code, aoun.sector_code) == ("LBN", "GOV")
    demand = next(e for e in x.events if e.event_type == "REQUEST")
    assert demand.actor[0].country_code == "LBN" and demand.recipient[0].country_code == "ISR"


def test_the_texts_own_title_wins_over_the_people_table(code):
    x = code("Iraqi envoy Joseph Aoun met the delegation in Baghdad.")
    assert next(e for e in x.entities if e.name == "Joseph Aoun").country_code == "IRQ"


@needs_ref
def test_people_sector_codes_are_the_manuals():
    _, rows = read_tsv(DATA / "actors" / "people.tsv")
    sectors = manual_sectors()
    for r in rows:
        assert r["sector_code"] in sectors, r["name"]


# ----------------------------------------------------------------------------- sectors.tsv

def test_sectors_format():
    header, rows = read_tsv(DATA / "actors" / "sectors.tsv")
    assert header == ["phrase", "sector_code", "priority"]
    phrases = [r["phrase"] for r in rows]
    assert len(phrases) == len(set(phrases)), "duplicate phrase"
    assert len(rows) >= 150
    for r in rows:
        assert r["phrase"] == r["phrase"].lower(), r["phrase"]
        assert re.fullmatch(r"[A-Z]{3}", r["sector_code"]), r["phrase"]
        assert int(r["priority"]) >= 0
    table = {r["phrase"]: r for r in rows}
    expected = {"president": "GOV", "army": "MIL", "police": "COP", "court": "JUD", "parliament": "LEG",
                "rebels": "REB", "intelligence chief": "SPY", "protesters": "CVL"}
    for phrase, code in expected.items():
        assert table[phrase]["sector_code"] == code, phrase
    assert int(table["intelligence chief"]["priority"]) > int(table["army"]["priority"])


@needs_ref
def test_sectors_codes_are_the_manuals():
    _, rows = read_tsv(DATA / "actors" / "sectors.tsv")
    sectors = manual_sectors()
    assert {"GOV", "MIL", "REB", "SPY", "COP", "JUD", "LEG"} <= sectors
    used = {r["sector_code"] for r in rows}
    assert used <= sectors, used - sectors
