"""Build src/diurna/web/static/world.geojson: simplified country outlines for the dashboard map.

    .venv/bin/python scripts/build_world_geojson.py [--wheel geopandas-0.14.4-py3-none-any.whl] [--tolerance 0.1]

Source: Natural Earth 1:110m Admin 0 countries (public domain), as shipped inside the geopandas
0.14.x wheel (``geopandas/datasets/naturalearth_lowres``; geopandas 1.x no longer ships it).  The
shapefile is read straight out of the wheel with pyshp; geopandas itself is never imported or
installed.  Without ``--wheel`` the script fetches that wheel with ``pip download --no-deps``.

Each feature gets ``id`` = ISO 3166-1 alpha-3 code (Natural Earth's ``-99`` placeholders are
replaced for France, Norway and Kosovo; the two unrecognised territories keep Natural Earth's
``adm0_a3``-style codes CYN and SOL) and ``properties.name``.  Rings are simplified
(Douglas-Peucker, ``--tolerance`` degrees) and coordinates rounded to 2 decimals; rings that
collapse are dropped.  Output is deterministic (sorted by id, compact JSON).

Build-time only: needs ``pyshp`` (``pip install pyshp``); the dashboard only serves the result.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "diurna" / "web" / "static" / "world.geojson"
GEOPANDAS_WHEEL = "geopandas==0.14.4"
MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
#: Natural Earth's "-99" (no ISO code) entries, by name
ISO_FIXES = {"France": "FRA", "Norway": "NOR", "Kosovo": "XKX", "N. Cyprus": "CYN", "Somaliland": "SOL"}
MAX_BYTES = 1_500_000

Point = tuple[float, float]


def _fetch_wheel(folder: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", GEOPANDAS_WHEEL, "--no-deps", "--only-binary", ":all:",
         "-d", str(folder), "-q"],
        check=True,
    )  # fmt: skip
    return next(folder.glob("geopandas-*.whl"))


def _read_shapes(wheel: Path) -> list[tuple[dict[str, Any], list[list[Point]]]]:
    import shapefile  # pyshp

    with zipfile.ZipFile(wheel) as zf:
        files = {ext: io.BytesIO(zf.read(f"{MEMBER}.{ext}")) for ext in ("shp", "shx", "dbf")}
    # the .cpg says ISO-8859-1 (pyshp would assume UTF-8)
    reader = shapefile.Reader(shp=files["shp"], shx=files["shx"], dbf=files["dbf"], encoding="latin-1")
    names = [f[0] for f in reader.fields[1:]]
    out = []
    for sr in reader.iterShapeRecords():
        record = dict(zip(names, list(sr.record), strict=True))
        shape = sr.shape
        parts = [*shape.parts, len(shape.points)]
        rings = [[(float(x), float(y)) for x, y in shape.points[a:b]] for a, b in zip(parts, parts[1:], strict=False)]
        out.append((record, rings))
    return out


def _perp_distance(p: Point, a: Point, b: Point) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5


def _douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker, iterative (no recursion limit), keeping both end points."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = _perp_distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def _ring(points: list[Point], tolerance: float) -> list[list[float]] | None:
    """A closed, simplified, rounded ring; None when it collapses below a triangle."""
    simplified = _douglas_peucker(points, tolerance)
    rounded: list[list[float]] = []
    for x, y in simplified:
        p = [round(x, 2), round(y, 2)]
        if not rounded or rounded[-1] != p:
            rounded.append(p)
    if rounded[0] != rounded[-1]:
        rounded.append(rounded[0])
    return rounded if len(rounded) >= 4 else None


def _signed_area(ring: list[Point]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def build(wheel: Path, tolerance: float) -> dict[str, Any]:
    features = []
    for record, rings in _read_shapes(wheel):
        name = str(record["name"])
        iso = str(record["iso_a3"])
        if iso == "-99" or not iso.strip():
            iso = ISO_FIXES.get(name, "")
        if not iso:
            raise SystemExit(f"no ISO alpha-3 code for {name!r}: add it to ISO_FIXES")
        # shapefile rings: outer rings clockwise (negative signed area), holes counter-clockwise
        polygons: list[list[list[list[float]]]] = []
        for raw in rings:
            ring = _ring(raw, tolerance)
            if ring is None:
                continue
            if _signed_area(raw) <= 0 or not polygons:  # an outer ring starts a polygon
                polygons.append([ring[::-1]])  # GeoJSON (RFC 7946): outer rings counter-clockwise
            else:
                polygons[-1].append(ring[::-1])
        if not polygons:
            continue
        geometry: dict[str, Any] = (
            {"type": "Polygon", "coordinates": polygons[0]}
            if len(polygons) == 1
            else {"type": "MultiPolygon", "coordinates": polygons}
        )
        features.append({"type": "Feature", "id": iso, "properties": {"name": name}, "geometry": geometry})
    features.sort(key=lambda f: f["id"])
    ids = [f["id"] for f in features]
    if len(set(ids)) != len(ids):
        raise SystemExit("duplicate country ids")
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheel", type=Path, help=f"a {GEOPANDAS_WHEEL} wheel (fetched with pip when absent)")
    parser.add_argument("--tolerance", type=float, default=0.1, help="simplification tolerance, degrees")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or _fetch_wheel(Path(tmp))
        collection = build(wheel, args.tolerance)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise SystemExit(f"{args.out} would be {len(text):,} bytes, over {MAX_BYTES:,}: raise --tolerance")
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {len(collection['features'])} countries, {len(text):,} bytes to {args.out}")


if __name__ == "__main__":
    main()
