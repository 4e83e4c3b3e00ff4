"""Bounded load on the HTTP API: N concurrent clients for S seconds on the events, dyad and search endpoints.

    .venv/bin/python bench/gen_events.py --db /tmp/bench.db              # once: 1,000,000 events
    .venv/bin/python bench/load_api.py --db /tmp/bench.db                # serves it on a free loopback port
    .venv/bin/python bench/load_api.py --db /tmp/bench.db --workers 2    # ... with 2 uvicorn worker processes
    .venv/bin/python bench/load_api.py --url http://127.0.0.1:8000       # or load a running `diurna serve`

Loopback only (a non-loopback --url is refused), stops by itself after --seconds, prints requests, errors
and p50/p95/p99 latency per endpoint and overall; exits 1 if any request failed (non-200 or no answer).
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from urllib.parse import urlsplit

import httpx

COUNTRIES = ["USA", "CHN", "RUS", "UKR", "ISR", "PSE", "LBN", "IRN", "IRQ", "SYR", "EGY", "SDN", "TUR", "SAU", "YEM",
             "GBR", "FRA", "DEU", "IND", "PAK", "AFG", "PRK", "KOR", "JPN", "NGA", "ETH", "KEN", "LBY", "TUN", "MAR"]
TYPES = ["AGREE", "ASSAULT", "CONSULT", "PROTEST", "ACCUSE", "AID", "THREATEN", "SANCTION", "COERCE", "REQUEST"]


def _request(rng: random.Random) -> tuple[str, str, dict[str, str | int]]:
    """(endpoint label, path, query) of one random request of the mix."""
    kind = rng.choice(["events", "events", "events_filtered", "dyad", "dyad", "search", "search_articles"])
    a, b = rng.sample(COUNTRIES, 2)
    if kind == "events":
        return kind, "/api/v1/events", {"limit": 50}
    if kind == "events_filtered":
        params: dict[str, str | int] = {"limit": 50, "actor_country": a}
        if rng.random() < 0.5:
            params["type"] = rng.choice(TYPES)
        if rng.random() < 0.5:
            year = rng.randrange(2015, 2025)
            params.update(since=f"{year}-01-01", until=f"{year}-06-30")
        return kind, "/api/v1/events", params
    if kind == "dyad":
        return kind, f"/api/v1/dyads/{a}/{b}/timeline", {"interval": rng.choice(["month", "week"])}
    if kind == "search":  # entity search (name words)
        return kind, "/api/v1/entities", {"q": rng.choice(["GOV", "MIL", "people", a]), "limit": 50}
    return kind, "/api/v1/articles", {"q": f"article {rng.randrange(100_000)}", "limit": 20}


async def _client(base: str, deadline: float, seed: int, results: dict[str, list[float]], errors: list[str],
                  timeout: float) -> None:
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=timeout) as client:
        while time.monotonic() < deadline:
            label, path, params = _request(rng)
            started = time.perf_counter()
            try:
                response = await client.get(path, params=params)
                ok = response.status_code == 200
                detail = f"{response.status_code} {response.text[:120]}"
            except httpx.HTTPError as exc:
                ok, detail = False, f"{type(exc).__name__}: {exc}"
            elapsed = time.perf_counter() - started
            results[label].append(elapsed)
            if not ok:
                errors.append(f"{label} {path} {params}: {detail}")


def _pct(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _report(results: dict[str, list[float]], errors: list[str], seconds: float) -> None:
    print(f"{'endpoint':<18}{'requests':>10}{'req/s':>9}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    everything = [v for vs in results.values() for v in vs]
    for label, values in [*sorted(results.items()), ("ALL", everything)]:
        if not values:
            continue
        print(f"{label:<18}{len(values):>10}{len(values) / seconds:>9.1f}{_pct(values, 50) * 1000:>10.1f}"
              f"{_pct(values, 95) * 1000:>10.1f}{_pct(values, 99) * 1000:>10.1f}{max(values) * 1000:>10.1f}")
    print(f"errors: {len(errors)}")
    for line in errors[:10]:
        print(f"  {line}")


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """uvicorn on 127.0.0.1:port over ``db`` (the store is opened, and migrated if needed, first)."""
    from diurna.store import open_store

    open_store(db).close()
    command = [sys.executable, "-m", "uvicorn", "--factory", "diurna.api.app:app_from_env", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    return subprocess.Popen(command, env={**os.environ, "DIURNA_DB": db})


async def _wait_up(base: str, limit: float = 120.0) -> None:
    deadline = time.monotonic() + limit
    async with httpx.AsyncClient(base_url=base, timeout=5) as client:
        while True:
            try:
                if (await client.get("/api/v1/overview")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"the API at {base} did not come up in {limit:.0f} s")
            await asyncio.sleep(0.2)


async def run(base: str, clients: int, seconds: float, warmup: float, timeout: float) -> int:
    await _wait_up(base)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        overview = (await client.get("/api/v1/overview")).json()
    print(f"store: {overview}")
    if warmup:
        await asyncio.gather(*(_client(base, time.monotonic() + warmup, 10_000 + i, defaultdict(list), [], timeout)
                               for i in range(min(clients, 8))))
    results: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    started = time.monotonic()
    await asyncio.gather(*(_client(base, started + seconds, i, results, errors, timeout) for i in range(clients)))
    elapsed = time.monotonic() - started
    print(f"{clients} clients, {elapsed:.1f} s")
    _report(results, errors, elapsed)
    return 1 if errors else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", help="serve this store on a free loopback port for the run")
    where.add_argument("--url", help="load an API already running on loopback (e.g. http://127.0.0.1:8000)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of light load before measuring")
    parser.add_argument("--timeout", type=float, default=60.0, help="per-request timeout; a timeout is an error")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (with --db)")
    args = parser.parse_args()
    if not 1 <= args.clients <= 1000 or not 0 < args.seconds <= 600:
        parser.error("--clients must be 1..1000 and --seconds 0..600")
    server = None
    base = args.url
    if args.db:
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = _serve(args.db, port, args.workers)
    elif not _loopback(base):
        parser.error("--url must be a loopback address (127.0.0.1, ::1 or localhost)")
    try:
        code = asyncio.run(run(base, args.clients, args.seconds, args.warmup, args.timeout))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
    raise SystemExit(code)


if __name__ == "__main__":
    main()
