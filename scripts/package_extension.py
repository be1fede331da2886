#!/usr/bin/env python3
"""Package the browser extension as a zip ready for a browser store.

    python scripts/package_extension.py [--out dist/kindshield-extension-<version>.zip] [--keep-key]

The zip holds what the browser needs (manifest, _locales, background, content, lib, popup,
options, dashboard, welcome, icons) and nothing else: no tests, tools or package.json, and of
content/ only the built bundle (content/bundle.js, committed) and its stylesheet. The manifest's
"key" (which pins the id of the unpacked extension, for a self-hosted server's CORS allow-list)
is dropped by default because the Chrome Web Store assigns its own key and rejects uploads that
carry one; --keep-key keeps it (for sideloading with a fixed id). Entries are sorted and dated
1980-01-01 so the same sources always give the same bytes. Before zipping it checks that the
manifest parses, that every file it names exists and that no file is a symlink.
"""
from __future__ import annotations

import argparse
import json
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXT = REPO / "extension"
INCLUDE_DIRS = ("_locales", "background", "content", "lib", "popup", "options", "dashboard", "welcome", "icons")
INCLUDE_SUFFIXES = {".js", ".json", ".html", ".css", ".png", ".svg"}
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _content_source(rel: Path) -> bool:
    """content/*.js other than the bundle: the sources of content/bundle.js, not loaded by the browser."""
    return rel.parts[0] == "content" and rel.suffix == ".js" and rel.name != "bundle.js"


def collect(ext: Path) -> list[Path]:
    files = [ext / "manifest.json"]
    for d in INCLUDE_DIRS:
        for p in sorted((ext / d).rglob("*")):
            if p.is_symlink():
                raise SystemExit(f"error: {p.relative_to(ext)} is a symlink; refusing to package")
            if p.is_file() and p.suffix in INCLUDE_SUFFIXES and not _content_source(p.relative_to(ext)):
                files.append(p)
    return files


def check_manifest(ext: Path, manifest: dict) -> None:
    named = [manifest["background"]["service_worker"], manifest["action"]["default_popup"],
             manifest["options_ui"]["page"], *manifest.get("icons", {}).values()]
    missing = [n for n in named if not (ext / n).is_file()]
    if missing:
        raise SystemExit(f"error: manifest names missing files: {', '.join(missing)}")
    if manifest.get("manifest_version") != 3:
        raise SystemExit("error: manifest_version must be 3")


def build(out: Path, keep_key: bool = False, ext: Path = EXT) -> Path:
    manifest = json.loads((ext / "manifest.json").read_text(encoding="utf-8"))
    check_manifest(ext, manifest)
    if not keep_key:
        manifest.pop("key", None)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for path in collect(ext):
            rel = path.relative_to(ext).as_posix()
            data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8") if rel == "manifest.json" else path.read_bytes()
            info = zipfile.ZipInfo(rel, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    version = json.loads((EXT / "manifest.json").read_text(encoding="utf-8"))["version"]
    ap.add_argument("--out", type=Path, default=REPO / "dist" / f"kindshield-extension-{version}.zip")
    ap.add_argument("--keep-key", action="store_true", help="keep the manifest key (fixed id for sideloading)")
    args = ap.parse_args(argv)
    out = build(args.out, keep_key=args.keep_key)
    with zipfile.ZipFile(out) as z:
        n = len(z.namelist())
    print(f"{out} ({n} files, {out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
