#!/usr/bin/env python3
"""Build clew's offline base map (base.txt) from a world-atlas TopoJSON file (Natural Earth admin-0 countries).

Usage: python3 build.py PATH/TO/countries-50m.json [OUTPUT]   (OUTPUT defaults to base.txt beside this script)

The world-atlas version is read from the package.json beside the input (as `npm pack world-atlas` unpacks it);
the input's SHA-256 and the version go into the output's header. Standard library only.

What it does:
  1. decodes the TopoJSON arcs (quantized, delta-encoded) into lon/lat polylines;
  2. keeps the polygons of every country whose outer ring meets the region box (whole polygons, never clipped,
     so no artificial edges appear). world-atlas's rings cross the antimeridian (Russia's Chukotka, Wrangel
     Island, the Aleutians): every longitude west of -30 is shifted by +360 degrees, so they stay whole and
     Alaska sits beside NE Asia (a point's shift depends on the point alone, so shared arcs stay shared); a
     ring that this breaks (it crosses -30: Greenland, Antarctica) is far outside the region and dropped;
  3. simplifies every kept arc once (Douglas-Peucker, tolerance in degrees of latitude, longitude scaled by
     cos(latitude)), so borders shared by two countries stay identical on both sides;
  4. drops islands smaller than a minimum area, and rounds coordinates to 0.01 degree;
  5. writes each arc once, then each ring as a list of arcs (see the format in the output's header).
"""

import hashlib
import json
import math
import os
import sys

# The region whose countries are kept: Russia and its neighbours in Europe and Asia, with room for the view's
# margins (a Lambert conic view of all Russia reaches from about lon 5, lat 51 to lon 192, lat 61 at its top
# corners and down to lat 32 at its bottom left). Longitudes east of 180 are written as 180..330.
SHIFT_WEST_OF = -30.0
LON_MIN, LON_MAX = 0.0, 200.0
LAT_MIN, LAT_MAX = 22.0, 90.0
TOLERANCE = 0.03  # Douglas-Peucker tolerance, degrees (about 3 km)
MIN_ISLAND = 0.02  # islands (rings of coast only) smaller than this, in square degrees (cos-scaled), are dropped
DIGITS = 2


def decode_arcs(topo):
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            lon = x * sx + tx
            points.append((lon + 360 if lon < SHIFT_WEST_OF else lon, y * sy + ty))
        arcs.append(points)
    return arcs


def arc_points(arcs, ref):
    return arcs[ref] if ref >= 0 else arcs[~ref][::-1]


def ring_bbox(arcs, ring):
    """The ring's box, or None when a step jumps more than 180 degrees of longitude (a ring the shift broke)."""
    points = [p for ref in ring for p in arc_points(arcs, ref)]
    if any(abs(a[0] - b[0]) > 180 for a, b in zip(points, points[1:])):
        return None
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    return min(lons), max(lons), min(lats), max(lats)


def perpendicular(p, a, b):
    """Distance of p from segment ab, in a local frame with longitude scaled by cos(latitude)."""
    k = math.cos(math.radians((a[1] + b[1] + p[1]) / 3))
    ax, ay, bx, by, px, py = a[0] * k, a[1], b[0] * k, b[1], p[0] * k, p[1]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def simplify(points, tolerance):
    """Douglas-Peucker, iterative; keeps both ends."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = -1.0, -1
        for i in range(first + 1, last):
            d = perpendicular(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index >= 0 and worst > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep) if k]


def fmt(value):
    text = f"{value:.{DIGITS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def rounded(points):
    out = []
    for lon, lat in points:
        p = (round(lon, DIGITS), round(lat, DIGITS))
        if not out or out[-1] != p:
            out.append(p)
    return out


def area(points):
    """Area of a closed ring in square degrees, longitude scaled by cos(latitude)."""
    total = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        k = math.cos(math.radians((y0 + y1) / 2))
        total += (x0 * y1 - x1 * y0) * k
    return abs(total) / 2


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    source = sys.argv[1]
    output = sys.argv[2] if len(sys.argv) == 3 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "base.txt")
    with open(source, "rb") as f:
        raw = f.read()
    digest = hashlib.sha256(raw).hexdigest()
    package = os.path.join(os.path.dirname(os.path.abspath(source)), "package.json")
    with open(package, encoding="utf-8") as f:
        meta = json.load(f)
    if meta.get("name") != "world-atlas":
        sys.exit(f"{package} is not world-atlas's")
    version = meta["version"]

    topo = json.loads(raw)
    arcs = decode_arcs(topo)
    geometries = topo["objects"]["countries"]["geometries"]

    # How many rings use each arc, over the whole world: 1 = coast, 2 = a land border.
    uses = [0] * len(arcs)
    for g in geometries:
        polygons = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                for ref in ring:
                    uses[ref if ref >= 0 else ~ref] += 1

    # Kept polygons: (id, [rings]), each ring a list of arc refs; and the kept arcs.
    used = set()
    kept = []
    for g in geometries:
        if g["type"] not in ("Polygon", "MultiPolygon"):
            continue
        country = g.get("id", "-99")
        polygons = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        for polygon in polygons:
            box = ring_bbox(arcs, polygon[0])
            if box is None:
                continue
            lon0, lon1, lat0, lat1 = box
            if lon1 < LON_MIN or lon0 > LON_MAX or lat1 < LAT_MIN or lat0 > LAT_MAX:
                continue
            if any(ring_bbox(arcs, ring) is None for ring in polygon[1:]):
                sys.exit(f"a hole of a kept polygon of {country} crosses longitude {SHIFT_WEST_OF:g}")
            used.update(ref if ref >= 0 else ~ref for ring in polygon for ref in ring)
            kept.append((country, polygon))

    simplified = {i: rounded(simplify(arcs[i], TOLERANCE)) for i in used}

    def ring_points(ring):
        out = []
        for ref in ring:
            pts = simplified[ref] if ref >= 0 else simplified[~ref][::-1]
            out.extend(pts if not out else pts[1:])
        return out

    # Drop collapsed rings and small islands (a polygon whose outer ring is all coast).
    final = []
    for country, polygon in kept:
        outer = ring_points(polygon[0])
        island = all(uses[r if r >= 0 else ~r] == 1 for r in polygon[0])
        if len(set(outer)) < 3 or (island and area(outer) < MIN_ISLAND):
            continue
        rings = [polygon[0]] + [r for r in polygon[1:] if len(set(ring_points(r))) >= 3]
        final.append((country, rings))

    # Number the arcs in order of first use.
    number = {}
    order = []
    for _, rings in final:
        for ring in rings:
            for ref in ring:
                index = ref if ref >= 0 else ~ref
                if index not in number:
                    number[index] = len(order)
                    order.append(index)

    def kind(index):
        return "b" if uses[index] >= 2 else "c"

    lines = [
        "# clew base map: Natural Earth admin-0 countries (public domain), from the npm package world-atlas "
        f"{version} (ISC), file {os.path.basename(source)}",
        f"# input sha256: {digest}",
        f"# made by: python3 crates/clew-server/assets/map/build.py {os.path.basename(source)} (see PROVENANCE.md)",
        f"# kept: polygons whose outer ring meets lon {LON_MIN:g}..{LON_MAX:g} lat {LAT_MIN:g}..{LAT_MAX:g}; longitudes"
        f" west of {SHIFT_WEST_OF:g} shifted by +360 (so 180..330 is the western hemisphere);",
        f"# Douglas-Peucker tolerance {TOLERANCE:g} degree per arc; islands under {MIN_ISLAND:g} square degree dropped;"
        f" coordinates rounded to {10 ** -DIGITS:g} degree",
        "# format: 'c' or 'b' then lon,lat points: an arc (c coast, b land border), numbered from 0 in order;",
        "#         'r ID A...': a ring of country ID (ISO 3166-1 numeric, -99 none) joining arcs A (~A: arc A"
        " reversed); a country's rings fill with the even-odd rule",
    ]
    for index in order:
        lines.append(kind(index) + " " + " ".join(f"{fmt(x)},{fmt(y)}" for x, y in simplified[index]))
    rings_out = 0
    for country, rings in final:
        for ring in rings:
            refs = [f"{number[r]}" if r >= 0 else f"~{number[~r]}" for r in ring]
            lines.append(f"r {country} " + " ".join(refs))
            rings_out += 1
    text = "\n".join(lines) + "\n"
    with open(output, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    points = sum(len(simplified[i]) for i in order)
    countries = len({c for c, _ in final})
    print(f"{output}: {len(text.encode())} bytes, {countries} countries, {rings_out} rings, {len(order)} arcs, {points} points")


if __name__ == "__main__":
    main()
