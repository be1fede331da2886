"""The Kindshield server (installed as ``kindshield_server``)."""
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

# One version for server, SDK and extension (sdk/_version.py; tests/unit/test_packaging.py checks
# all three). Installed from its own wheel the server is the ``kindshield-server`` distribution;
# in a development install (``pip install -e .``, setup.cfg) it is part of ``kindshield``.
for _dist in ("kindshield-server", "kindshield"):
    try:
        __version__ = _version(_dist)
        break
    except PackageNotFoundError:
        continue
else:   # a source tree that was never installed
    __version__ = "0.0.0+unknown"
