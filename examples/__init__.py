"""Bundled scenarios: the Alpine statements of June 2023, shipped with the package."""
