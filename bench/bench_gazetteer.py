"""Gazetteer index: build time, load time from the cache file, and memory (RSS).

Run: .venv/bin/python bench/bench_gazetteer.py   (build and load each run in a fresh process)"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile

CHILD = r"""
import json, resource, sys, time
from pathlib import Path

def rss_mb():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

from diurna.places import gazetteer as g
before = rss_mb()
path = Path(sys.argv[2])
started = time.perf_counter()
gaz = g.load(path, rebuild=sys.argv[1] == "build")
seconds = time.perf_counter() - started
print(json.dumps({"seconds": round(seconds, 2), "rss_mb": round(rss_mb(), 1), "rss_before_mb": round(before, 1),
                  "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "entries": len(gaz.entries), "names": len(gaz.names),
                  "file_mb": round(path.stat().st_size / 2**20, 1)}))
"""


def run(mode: str, path: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, mode, path], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/gazetteer.pickle"
        build = run("build", path)
        load = run("load", path)
    print(f"index: {build['entries']} entries, {build['names']} names, cache file {build['file_mb']} MB")
    print(f"build: {build['seconds']} s, peak RSS {build['peak_mb']} MB")
    print(f"load:  {load['seconds']} s, RSS {load['rss_mb']} MB (process before load {load['rss_before_mb']} MB, "
          f"index ~{round(load['rss_mb'] - load['rss_before_mb'], 1)} MB)")


if __name__ == "__main__":
    main()
