"""Kindshield server."""
