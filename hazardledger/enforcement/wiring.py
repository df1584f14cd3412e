"""What the app adds to others when Django starts: menu, home actions, dossier, hazard hook."""

from __future__ import annotations


def connect() -> None:
    return None
