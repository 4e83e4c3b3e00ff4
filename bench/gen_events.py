"""Load N synthetic events (default 1,000,000) into a diurna store, fast.

    .venv/bin/python bench/gen_events.py --db /tmp/bench.db [-n 1000000]
    .venv/bin/python bench/gen_events.py --db postgresql+psycopg://postgres@127.0.0.1:5432/test -n 1000000

Rows go straight into the tables (bulk executemany on SQLite, COPY on PostgreSQL), bypassing the record
model, in the shapes diurna.store.convert writes: 10 events per article, one actor and one recipient per event.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from diurna.records import EVENT_TYPES
from diurna.store import open_store, schema

COUNTRIES = ["USA", "CHN", "RUS", "UKR", "ISR", "PSE", "LBN", "IRN", "IRQ", "SYR", "EGY", "SDN", "TUR", "SAU", "YEM",
             "GBR", "FRA", "DEU", "IND", "PAK", "AFG", "PRK", "KOR", "JPN", "NGA", "ETH", "KEN", "LBY", "TUN", "MAR"]
SECTORS = ["GOV", "MIL", "REB", "CVL", "OPP", "IGO", None]
QUADS = ["verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"]
EVENTS_PER_ARTICLE = 10
NOW = "2026-01-01T00:00:00+00:00"


def _places(rng: random.Random, n: int = 300) -> list[dict[str, Any]]:
    return [
        {"id": f"pl{i:05d}", "name": f"Place {i}", "geonameid": 100000 + i, "country_code": rng.choice(COUNTRIES)[:2],
         "admin1": None, "lat": rng.uniform(-60, 70), "lon": rng.uniform(-180, 180), "feature": "PPL",
         "confidence": 0.9, "created_at": NOW}
        for i in range(n)
    ]  # fmt: skip


def _entities() -> list[dict[str, Any]]:
    return [
        {"id": f"en-{c}-{s or 'X'}", "name": f"{c} {s or 'people'}", "type": "organization", "country_code": c,
         "sector_code": s, "other_sector_codes": [], "titles": [], "created_at": NOW}
        for c in COUNTRIES for s in SECTORS
    ]  # fmt: skip


def _rows(n: int, seed: int, places: list[dict[str, Any]]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(table, rows) chunks of one article's worth at a time."""
    rng = random.Random(seed)
    start = dt.date(2015, 1, 1)
    for a in range((n + EVENTS_PER_ARTICLE - 1) // EVENTS_PER_ARTICLE):
        aid = f"a{a:09d}"
        day = (start + dt.timedelta(days=rng.randrange(0, 3650))).isoformat()
        text = f"Synthetic article {a}. " * 5
        yield "articles", [{"id": aid, "date": day, "title": f"Synthetic {a}", "text": text, "url": None,
                            "source": "bench", "languages": ["en"], "coder": "bench", "origin": None,
                            "created_at": NOW}]
        events, actors = [], []
        for k in range(min(EVENTS_PER_ARTICLE, n - a * EVENTS_PER_ARTICLE)):
            eid = f"e{a:09d}{k:02d}"
            place = rng.choice(places) if rng.random() < 0.6 else None
            quad = rng.choice(QUADS)
            events.append({
                "id": eid, "article_id": aid, "position": k, "event_type": rng.choice(EVENT_TYPES),
                "mode": [], "context": [], "aux": (aux := ["negation"] if rng.random() < 0.03 else []),
                "negated": bool(aux), "date": day if rng.random() < 0.97 else None, "date_inferred": True,
                "location_inferred": False,
                "location_place_id": place["id"] if place else None,
                "location": ({k2: place[k2] for k2 in ("id", "name", "geonameid", "country_code", "admin1", "lat",
                                                       "lon", "feature", "confidence")} | {"mentions": []})
                if place else None,
                "cameo": "040", "goldstein": round(rng.uniform(-10, 10), 1), "quad": quad, "plover_score": None,
                "trigger": "met", "evidence_start": 0, "evidence_end": 20, "trigger_start": 0, "trigger_end": 3,
                "evidence_sentence": "Synthetic article.", "confidence": 1.0, "coder": "bench",
            })  # fmt: skip
            events[-1]["negated"] = events[-1]["aux"] == ["negation"]
            for role in ("actor", "recipient"):
                c, s = rng.choice(COUNTRIES), rng.choice(SECTORS)
                actors.append({"event_id": eid, "role": role, "position": 0, "entity_id": f"en-{c}-{s or 'X'}",
                               "raw_text": c, "entity_name": f"{c} {s or 'people'}", "country_code": c,
                               "sector_code": s, "other_sector_codes": []})
        yield "events", events
        yield "event_actors", actors


def _copy(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    cols = [c.name for c in table.columns]
    raw = conn.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if isinstance(table.c[c].type, sa.JSON) and row[c] is not None
                            else row[c] for c in cols])


def _sqlite_insert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    cols = [c.name for c in table.columns]
    quoted = ", ".join('"' + c + '"' for c in cols)
    sql = f"INSERT INTO {table.name} ({quoted}) VALUES ({', '.join('?' * len(cols))})"
    json_cols = {c for c in cols if isinstance(table.c[c].type, sa.JSON)}
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.executemany(sql, [tuple(json.dumps(r[c]) if c in json_cols and r[c] is not None else r[c] for c in cols)
                          for r in rows])


def load(db: str, n: int, seed: int = 7, chunk: int = 200_000) -> float:
    """Load ``n`` events in one transaction, ``chunk`` actor rows per executemany / COPY.

    The store's triggers keep ``event_dyads`` and (SQLite) the FTS5 tables in step, as they do for
    every writer.  On SQLite the load runs with a 1 GiB page cache (the whole load is one transaction,
    so the random-order index inserts stay in memory until the commit).
    """
    started = time.perf_counter()
    with open_store(db) as store:
        rng = random.Random(seed)
        places = _places(rng)
        buffers: dict[str, list[dict[str, Any]]] = {"articles": [], "events": [], "event_actors": []}
        pg = store.dialect == "postgresql"
        with store.engine.begin() as conn:
            if not pg:
                conn.exec_driver_sql("PRAGMA cache_size = -1048576")
            for table, rows in (("places", places), ("entities", _entities())):
                if pg:
                    _copy(conn, schema.metadata.tables[table], rows)
                else:
                    _sqlite_insert(conn, schema.metadata.tables[table], rows)

            def flush() -> None:
                for name in ("articles", "events", "event_actors"):
                    if buffers[name]:
                        table = schema.metadata.tables[name]
                        if pg:
                            _copy(conn, table, buffers[name])
                        else:
                            _sqlite_insert(conn, table, buffers[name])
                        buffers[name] = []

            for name, rows in _rows(n, seed, places):
                buffers[name].extend(rows)
                if len(buffers["event_actors"]) >= chunk:
                    flush()
            flush()
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="SQLite path or database URL (an empty store is best)")
    parser.add_argument("-n", type=int, default=1_000_000, help="events to load (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    seconds = load(args.db, args.n, args.seed)
    print(f"loaded {args.n:,} events into {args.db} in {seconds:.1f} s ({args.n / seconds:,.0f} events/s)")


if __name__ == "__main__":
    main()
