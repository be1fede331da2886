"""The Kindshield server (installed as ``kindshield_server``)."""
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

try:
    # one version for server, SDK and extension: setup.cfg's (tests/unit/test_packaging.py checks all three)
    __version__ = _version("kindshield")
except PackageNotFoundError:   # a source tree that was never installed
    __version__ = "0.0.0+unknown"
