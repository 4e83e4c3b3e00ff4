"""p50/p95 latency of the dyad timeline and a filtered events page, through the HTTP app (TestClient).

    .venv/bin/python bench/gen_events.py --db /tmp/bench.db                   # once: 1,000,000 events
    .venv/bin/python bench/bench_api.py --db /tmp/bench.db [--pg postgresql+psycopg://...] [--runs 30]
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from diurna.api import create_app

QUERIES = {
    "dyad timeline USA-CHN, month": "/api/v1/dyads/USA/CHN/timeline?interval=month",
    "dyad timeline ISR-LBN, week, 2020-2022": "/api/v1/dyads/ISR/LBN/timeline?interval=week&since=2020-01-01"
                                              "&until=2022-12-31",
    "events page 1 (all, 50)": "/api/v1/events?limit=50",
    "events page 1 type=PROTEST actor=USA": "/api/v1/events?type=PROTEST&actor_country=USA&limit=50",
    "events page 1 type=ASSAULT recipient=UKR 2019": "/api/v1/events?type=ASSAULT&recipient_country=UKR"
                                                     "&since=2019-01-01&until=2019-12-31&limit=50",
}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench(url: str, runs: int) -> None:
    print(f"\n{url}")
    with TestClient(create_app(url)) as client:
        overview = client.get("/api/v1/overview").json()
        print(f"  {overview['events']:,} events (not negated), {overview['articles']:,} articles")
        for name, path in QUERIES.items():
            client.get(path)  # warm up
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.text
            print(f"  {name:48s} p50 {statistics.median(times):8.1f} ms   p95 {_pct(times, 0.95):8.1f} ms")
        # a walk 20 pages deep: keyset pagination keeps later pages as fast as the first
        path, times = QUERIES["events page 1 type=PROTEST actor=USA"], []
        for _ in range(20):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            if "link" not in response.headers:
                break
            path = response.headers["link"].split(">")[0].lstrip("<")
        print(f"  {'events PROTEST/USA pages 1-20 (following Link)':48s} p50 {statistics.median(times):8.1f} ms   "
              f"p95 {_pct(times, 0.95):8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="SQLite store made by gen_events.py")
    parser.add_argument("--pg", help="PostgreSQL URL of a store made by gen_events.py")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    bench(args.db, args.runs)
    if args.pg:
        bench(args.pg, args.runs)


if __name__ == "__main__":
    main()
