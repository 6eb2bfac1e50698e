"""Vendor the dashboard's third-party front-end code into src/eventcoder/web/static/vendor/.

    python tools/vendor_js.py            # fetch with `npm pack`, copy, write vendor/VERSIONS.json
    python tools/vendor_js.py --check    # verify the committed files against VERSIONS.json

Fetches, with npm (the only network use, at build time; the dashboard never fetches anything):
  @observablehq/plot 0.6.17  dist/plot.umd.min.js          -> plot-0.6.17.umd.min.js
  d3 7.9.2                   dist/d3.min.js                -> d3-7.9.2.min.js (includes d3-force, d3-geo)
  topojson-client 3.1.0      dist/topojson-client.min.js   -> topojson-client-3.1.0.min.js
  world-atlas 2.0.2          countries-110m.json           -> world-atlas-2.0.2-countries-110m.json
and each package's licence as LICENSE-<name>-<version>.txt. The files are copied byte for byte,
except the world-atlas TopoJSON, whose ISO 3166-1 numeric ids are rewritten to alpha-3 (with
pycountry) so the map can join them to the events' country codes; the three features without an
ISO code (N. Cyprus, Somaliland, Kosovo) keep no id. VERSIONS.json records each file's source,
version and SHA-256.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "src" / "eventcoder" / "web" / "static" / "vendor"

# (npm package, version, file inside the package, vendored name, licence file inside the package)
PACKAGES = (
    ("@observablehq/plot", "0.6.17", "dist/plot.umd.min.js", "plot-0.6.17.umd.min.js", "LICENSE"),
    ("d3", "7.9.2", "dist/d3.min.js", "d3-7.9.2.min.js", "LICENSE"),
    ("topojson-client", "3.1.0", "dist/topojson-client.min.js", "topojson-client-3.1.0.min.js",
     "LICENSE"),
    ("world-atlas", "2.0.2", "countries-110m.json", "world-atlas-2.0.2-countries-110m.json",
     "LICENSE"),
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _licence_name(package: str, version: str) -> str:
    return f"LICENSE-{package.split('/')[-1]}-{version}.txt"


def npm_pack(spec: str, dest: Path) -> Path:
    """`npm pack SPEC` into dest; returns the unpacked package directory."""
    if shutil.which("npm") is None:
        raise SystemExit("vendor_js: npm is not installed (apt-get install npm)")
    out = subprocess.run(["npm", "pack", spec, "--pack-destination", str(dest), "--silent"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"vendor_js: npm pack {spec} failed: {out.stderr.strip()[:300]}")
    tgz = dest / out.stdout.strip().splitlines()[-1]
    unpacked = dest / tgz.name.removesuffix(".tgz")
    with tarfile.open(tgz) as tf:
        tf.extractall(unpacked, filter="data")
    return unpacked / "package"


def alpha3_ids(topo: dict) -> dict:
    """Rewrite a world-atlas TopoJSON's ISO numeric ids to alpha-3 (unknown ids are dropped)."""
    import pycountry

    for g in topo["objects"]["countries"]["geometries"]:
        num = g.pop("id", None)
        c = pycountry.countries.get(numeric=str(num).zfill(3)) if num is not None else None
        if c is not None:
            g["id"] = c.alpha_3
    return topo


def vendor() -> dict:
    VENDOR.mkdir(parents=True, exist_ok=True)
    manifest = {}
    with tempfile.TemporaryDirectory(prefix="eventcoder-vendor-") as tmp:
        for package, version, src, name, licence in PACKAGES:
            pkg = npm_pack(f"{package}@{version}", Path(tmp))
            got = json.loads((pkg / "package.json").read_text())["version"]
            if got != version:
                raise SystemExit(f"vendor_js: npm gave {package} {got}, expected {version}")
            target = VENDOR / name
            if name.endswith(".json"):
                topo = alpha3_ids(json.loads((pkg / src).read_text(encoding="utf-8")))
                target.write_text(json.dumps(topo, separators=(",", ":")), encoding="utf-8")
            else:
                shutil.copyfile(pkg / src, target)
            lic = VENDOR / _licence_name(package, version)
            shutil.copyfile(pkg / licence, lic)
            manifest[name] = {"package": package, "version": version, "file": src,
                              "licence": lic.name, "sha256": _sha256(target)}
            print(f"vendor_js: {package}@{version} {src} -> {target.relative_to(ROOT)}")
    (VENDOR / "VERSIONS.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def check() -> list[str]:
    """Problems with the committed vendor files (empty when they match VERSIONS.json)."""
    problems = []
    try:
        manifest = json.loads((VENDOR / "VERSIONS.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [f"{VENDOR / 'VERSIONS.json'} is missing: run python tools/vendor_js.py"]
    for package, version, _src, name, _lic in PACKAGES:
        entry = manifest.get(name)
        if entry is None or entry.get("version") != version:
            problems.append(f"{name}: not in VERSIONS.json at {package} {version}")
            continue
        path = VENDOR / name
        if not path.exists():
            problems.append(f"{name}: missing")
        elif _sha256(path) != entry["sha256"]:
            problems.append(f"{name}: SHA-256 differs from VERSIONS.json")
        if not (VENDOR / entry["licence"]).exists():
            problems.append(f"{entry['licence']}: missing")
    return problems


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                epilog="example: python tools/vendor_js.py --check")
    p.add_argument("--check", action="store_true", help="verify the vendored files, fetch nothing")
    args = p.parse_args(argv)
    if args.check:
        problems = check()
        for msg in problems:
            print(f"vendor_js: {msg}", file=sys.stderr)
        return 1 if problems else 0
    vendor()
    return 0


if __name__ == "__main__":
    sys.exit(main())
