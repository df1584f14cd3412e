"""A small table-driven state machine shared by every lifecycle (DESIGN.md §3.3).

A lifecycle is a list of `Transition` rows: (state, action) → (next state, roles, guard).
Looking a row up, checking the role and running the guard are pure and need no database;
`Workflow.apply` then writes the new state with a guarded update, so that of two concurrent
requests that both saw the same state only one can win.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, Model
from django.utils.translation import gettext as _

# A guard returns its problems: messages, or {field: message} so forms can show them in place.
Guard = Callable[[Any, Mapping[str, Any]], Sequence[str] | Mapping[str, str]]
Resolver = Callable[[Any, Mapping[str, Any]], str]


class WorkflowError(Exception):
    """A refused transition; `messages` are the Chinese reasons shown to the user."""

    status_code = 409

    def __init__(
        self, messages: str | Sequence[str], fields: Mapping[str, str] | None = None
    ) -> None:
        self.messages = [messages] if isinstance(messages, str) else [str(m) for m in messages]
        self.fields = dict(fields or {})
        super().__init__("；".join(self.messages))


class ActionNotAvailable(WorkflowError):
    """The action does not exist in the record's current state."""


class GuardFailed(WorkflowError):
    """The action exists but its conditions are not met (e.g. missing five must-haves)."""

    status_code = 422


class ConcurrentChange(WorkflowError):
    """Someone else changed the record between reading and writing it."""


class ActionForbidden(PermissionDenied):
    """The user holds none of the roles the transition allows (answered as 403)."""


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    # None when the next state depends on the record or the policy: `resolve` decides then,
    # and `targets` lists the possibilities for the 流程说明 page.
    target: str | None
    roles: frozenset[str]
    guard: Guard | None = None
    resolve: Resolver | None = None
    targets: tuple[str, ...] = ()
    condition: str = ""

    @property
    def is_loop(self) -> bool:
        return self.target == self.source

    def next_state(self, obj: Any, context: Mapping[str, Any]) -> str:
        if self.target is not None:
            return self.target
        if self.resolve is None:
            raise ValueError(f"transition {self.source}/{self.action} has no target")
        return self.resolve(obj, context)

    def possible_targets(self) -> tuple[str, ...]:
        return (self.target,) if self.target is not None else self.targets


@dataclass
class Workflow:
    """One lifecycle: its state and action labels and its transition table."""

    name: str
    states: Mapping[str, str]
    actions: Mapping[str, str]
    transitions: Sequence[Transition]
    status_field: str = "status"
    version_field: str | None = "version"
    _index: dict[tuple[str, str], Transition] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._index = {}
        for t in self.transitions:
            if t.source not in self.states:
                raise ValueError(f"unknown state {t.source!r}")
            if t.action not in self.actions:
                raise ValueError(f"unknown action {t.action!r}")
            for target in t.possible_targets():
                if target not in self.states:
                    raise ValueError(f"unknown target state {target!r}")
            if (t.source, t.action) in self._index:
                raise ValueError(f"duplicate transition {t.source}/{t.action}")
            self._index[(t.source, t.action)] = t

    def find(self, state: str, action: str) -> Transition | None:
        return self._index.get((state, action))

    def get(self, state: str, action: str) -> Transition:
        transition = self.find(state, action)
        if transition is None:
            raise ActionNotAvailable(
                _("当前状态“%(state)s”下不能执行“%(action)s”")
                % {
                    "state": self.states.get(state, state),
                    "action": self.actions.get(action, action),
                }
            )
        return transition

    def allows(self, state: str, action: str, roles: Iterable[str]) -> bool:
        transition = self.find(state, action)
        return transition is not None and bool(transition.roles & set(roles))

    def available(self, state: str, roles: Iterable[str]) -> list[Transition]:
        """Transitions out of `state` that someone holding `roles` may attempt."""
        held = set(roles)
        return [t for t in self.transitions if t.source == state and t.roles & held]

    def check(
        self,
        state: str,
        action: str,
        roles: Iterable[str],
        obj: Any = None,
        context: Mapping[str, Any] | None = None,
    ) -> Transition:
        """The transition, if the state has it, the roles allow it and its guard passes."""
        transition = self.get(state, action)
        if not transition.roles & set(roles):
            raise ActionForbidden(
                _("您的角色无权执行“%(action)s”") % {"action": self.actions[action]}
            )
        if transition.guard is not None:
            problems = transition.guard(obj, context or {})
            if isinstance(problems, Mapping) and problems:
                raise GuardFailed(list(problems.values()), fields=problems)
            if problems:
                raise GuardFailed(list(problems))
        return transition

    def apply(self, obj: Model, *, target: str, values: Mapping[str, Any] | None = None) -> None:
        """Write `target` (and `values`) only if the row still has the state we read."""
        model = type(obj)
        expected = getattr(obj, self.status_field)
        filters: dict[str, Any] = {"pk": obj.pk, self.status_field: expected}
        updates: dict[str, Any] = {self.status_field: target, **(values or {})}
        if self.version_field:
            filters[self.version_field] = getattr(obj, self.version_field)
            updates[self.version_field] = F(self.version_field) + 1
        if model._default_manager.filter(**filters).update(**updates) != 1:
            raise ConcurrentChange(_("该记录刚刚已被他人处理，本次操作未生效，请刷新页面后重试"))
        for name, value in (values or {}).items():
            setattr(obj, name, value)
        setattr(obj, self.status_field, target)
        if self.version_field:
            setattr(obj, self.version_field, getattr(obj, self.version_field) + 1)

    def rows(self) -> list[dict[str, Any]]:
        """The table as plain rows, for the 流程说明 page."""
        return [
            {
                "source": self.states[t.source],
                "action": self.actions[t.action],
                "action_code": t.action,
                "targets": [self.states[s] for s in t.possible_targets()],
                "roles": sorted(t.roles),
                "condition": t.condition,
                "is_loop": t.is_loop,
            }
            for t in self.transitions
        ]
