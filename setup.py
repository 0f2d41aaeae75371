"""Shim for Beam's --setup_file (Dataflow and other remote workers build an sdist of
the project from it): all metadata lives in pyproject.toml."""

import setuptools

setuptools.setup()
