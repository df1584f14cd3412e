from __future__ import annotations

import pytest

from hazardledger.enforcement.tests.kit import Kit


@pytest.fixture
def kit(district) -> Kit:
    return Kit(district)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
