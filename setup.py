"""Packages are discovered here because the source folders (server/, sdk/,
onnx_models/) are installed under other names (see package_dir in setup.cfg)."""
from setuptools import find_packages, setup

ROOTS = {"kindshield": "sdk", "kindshield_server": "server", "kindshield_models": "onnx_models"}

packages = []
for name, folder in ROOTS.items():
    packages.append(name)
    packages += [f"{name}.{sub}" for sub in find_packages(folder)]

setup(packages=packages)
