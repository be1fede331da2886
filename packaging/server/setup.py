"""Packages and version of the `kindshield-server` wheel (metadata in pyproject.toml).

The sources are the checkout's server/ and onnx_models/ folders, installed as kindshield_server
and kindshield_models; the version is the SDK's (sdk/_version.py), so both distributions carry one
number."""
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ROOTS = {"kindshield_server": "server", "kindshield_models": "onnx_models"}

version: dict = {}
exec((ROOT / "sdk" / "_version.py").read_text(encoding="utf-8"), version)

packages = []
for name, folder in ROOTS.items():
    packages.append(name)
    packages += [f"{name}.{sub}" for sub in find_packages(str(ROOT / folder))]

setup(
    version=version["__version__"],
    package_dir={name: f"../../{folder}" for name, folder in ROOTS.items()},
    packages=packages,
)
