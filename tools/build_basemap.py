"""Build the dashboard's offline world basemap: src/eventcoder/web/static/world.json.

Run once (the output is committed as package data); no network is used:

    .venv/bin/python tools/build_basemap.py

Source: the country polygons shipped inside the `countryinfo` package (a runtime dependency
already), which are Natural Earth 1:110m-scale outlines (public domain). Each country becomes
one SVG path in an equirectangular projection with x = lon + 180 and y = 90 - lat (so the
whole world is the box 0 0 360 180), rounded to 0.1 degree with repeated points dropped.
Output: {"source": ..., "projection": "equirectangular", "viewBox": [0, 0, 360, 180],
"countries": [{"id": "FRA", "name": "France", "d": "M..Z"}, ...]}.
"""
from __future__ import annotations

import glob
import json
import os
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "eventcoder" / "web" / "static" / "world.json"
STEP = 0.1  # degrees


def _ring(ring: list) -> str:
    pts = []
    for lon, lat, *_ in ring:
        p = (round((lon + 180) / STEP) * STEP, round((90 - lat) / STEP) * STEP)
        if not pts or p != pts[-1]:
            pts.append(p)
    if len(pts) < 3:
        return ""
    f = lambda v: (f"{v:.1f}").rstrip("0").rstrip(".")
    return "M" + "L".join(f"{f(x)} {f(y)}" for x, y in pts) + "Z"


def _geometry_path(geom: dict) -> str:
    if geom["type"] == "Polygon":
        polys = [geom["coordinates"]]
    elif geom["type"] == "MultiPolygon":
        polys = geom["coordinates"]
    else:
        return ""
    return "".join(_ring(r) for poly in polys for r in poly)


def build() -> dict:
    import countryinfo

    data_dir = os.path.join(os.path.dirname(countryinfo.__file__), "data")
    countries = {}
    for fn in sorted(glob.glob(os.path.join(data_dir, "*.json"))):
        with open(fn, encoding="utf-8") as fh:
            info = json.load(fh)
        gj = info.get("geoJSON") or {}
        for feat in gj.get("features") or []:
            cid = feat.get("id") or (info.get("ISO") or {}).get("alpha3")
            d = _geometry_path(feat.get("geometry") or {})
            if cid and d and cid not in countries:
                countries[cid] = {"id": cid, "name": (feat.get("properties") or {}).get("name")
                                  or info.get("name"), "d": d}
    return {
        "source": "Natural Earth 1:110m country outlines (public domain), via the countryinfo "
                  "package; built by tools/build_basemap.py",
        "projection": "equirectangular", "viewBox": [0, 0, 360, 180],
        "countries": [countries[k] for k in sorted(countries)],
    }


def main() -> int:
    world = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(world, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    print(f"{OUT}: {len(world['countries'])} countries, {OUT.stat().st_size // 1024} KiB",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
