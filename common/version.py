"""The Strato release string, reported by every service in its ping and registry row."""
from importlib import metadata


def version_string() -> str:
    try:
        return metadata.version("strato")
    except metadata.PackageNotFoundError:
        return "0.0.0+source"
