"""Extension points that later apps fill in their AppConfig.ready; hazards imports none of them.

`production_suspension`: when a card orders 责令停产停业, a later app (enforcement) opens its
case; while that app says the unit has not passed resumption acceptance, 恢复生产 is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

OnSuspend = Callable[..., None]
ResumeProblem = Callable[[Any], str | None]

_on_suspend: list[OnSuspend] = []
_resume_problems: list[ResumeProblem] = []


def register_production_suspension(*, on_suspend: OnSuspend, resume_problem: ResumeProblem) -> None:
    if on_suspend not in _on_suspend:
        _on_suspend.append(on_suspend)
    if resume_problem not in _resume_problems:
        _resume_problems.append(resume_problem)


def production_suspended(*, actor: Any, hazard: Any, reason: str) -> None:
    for handler in _on_suspend:
        handler(actor=actor, hazard=hazard, reason=reason)


def resume_problem(hazard: Any) -> str | None:
    for check in _resume_problems:
        problem = check(hazard)
        if problem:
            return problem
    return None
