"""Meeting fixtures: the 2014 profile (weekly to the end of September) and a follow-up profile
(fortnightly from October), meetings recorded on chosen days, follow-up items."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
import yaml

from hazardledger.meetings import services
from hazardledger.meetings.models import Meeting
from hazardledger.policy.services import parse_policy, policy_store

PROFILES = Path(__file__).resolve().parents[2] / "policy" / "profiles"
TZ = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10):
    return datetime.combine(day, time(hour), tzinfo=TZ)


def store_profile(code: str, activate: bool, **changes: Any) -> None:
    """The 2014 profile under another code, with document and joint-meeting values replaced."""
    content = yaml.safe_load((PROFILES / "zhoucun-2014.yaml").read_bytes())
    content["code"] = code
    content["name"] = code
    for key, value in changes.items():
        section, name = key.split("__")
        content[section][name] = value
    raw = yaml.safe_dump(content, allow_unicode=True).encode()
    policy_store(actor=None, data=parse_policy(raw), source=raw, activate=activate)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def weekly(db):
    """Only the 2014 profile: weekly meetings from 2014-09-01 to 2014-09-30."""
    store_profile("zhoucun-2014", activate=True)


@pytest.fixture
def two_profiles(db):
    """2014 (weekly to 30 September), then the active follow-up profile: fortnightly from
    October, no district minimums."""
    store_profile("zhoucun-2014", activate=True)
    store_profile(
        "zhoucun-2014-q4",
        activate=True,
        document__valid_from="2014-10-01",
        document__issued_on="2014-10-01",
        joint_meetings__cadence_from="2014-10-01",
        joint_meetings__cadence_until="2014-12-31",
        joint_meetings__committee_cadence_days=14,
        joint_meetings__territory_cadence_days=14,
        joint_meetings__district_min_meetings=0,
        joint_meetings__district_min_joint_actions=0,
        joint_meetings__district_minimums_until="2014-12-31",
    )


class Recorder:
    def __init__(self, district) -> None:
        self.d = district

    def meeting(
        self,
        convener,
        held_on: date,
        entered_on: date | None = None,
        *,
        actor=None,
        decisions: list[str] | None = None,
        others=None,
    ) -> Meeting:
        """A meeting held on `held_on` and entered on `entered_on` (the same day by default)."""
        others = others or [self.d.dept_a]
        data = services.MeetingInput(
            convener=convener,
            held_on=held_on,
            problems="建筑工地临边防护不到位",
            units_present=[convener, *others],
            decisions=decisions or [],
        )
        with time_machine.travel(at(entered_on or held_on), tick=False):
            return services.meeting_record(actor=actor or self.d.alice, data=data)


@pytest.fixture
def rec(district) -> Recorder:
    return Recorder(district)
