"""The one version number of Kindshield: the SDK (``kindshield``), the server
(``kindshield-server``), the development install (``setup.cfg``) and the extension's manifest all
take it from here (``packaging/*/pyproject.toml`` and ``setup.cfg`` read it with setuptools'
``attr:``; ``tests/unit/test_packaging.py`` checks the manifest and the installed metadata)."""

__version__ = "0.1.0"
