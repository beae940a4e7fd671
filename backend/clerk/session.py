"""The verified session: who is signed in and in which organization.

Clerk encodes the active organization in two formats. Version 1 has flat claims
(`org_id`, `org_role`, `org_slug`, `org_permissions`); version 2 (`v: 2`) nests them
under `o` and packs permissions as a bitmap per feature (`o.per`, `o.fpm`, `fea`).
Both decode to the same `Session`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clerk.errors import MalformedToken
from clerk.ids import is_clerk_id

MAX_SLUG_LENGTH = 256
MAX_ROLE_LENGTH = 128


@dataclass(frozen=True, slots=True)
class ActiveOrganization:
    id: str
    slug: str | None
    role: str | None  # always "org:<role>"
    permissions: tuple[str, ...]  # e.g. "org:dashboard:read"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts on the user's behalf (the `act` claim): an impersonating operator, or an agent."""

    subject: str  # the impersonator's user id, or the agent's id
    session_id: str | None
    type: str | None  # "agent" for an agent session; absent for impersonation


@dataclass(frozen=True, slots=True)
class Session:
    user_id: str
    session_id: str
    organization: ActiveOrganization | None
    actor: Actor | None  # None when the user acts themselves
    expires_at: int
    issued_at: int | None  # `iat`: what the token says is as of then (its role, its organization)
    authorized_party: str | None
    claims: Mapping[str, Any]

    def has_role(self, role: str) -> bool:
        return self.organization is not None and self.organization.role == _with_org_prefix(role)

    def has_permission(self, permission: str) -> bool:
        return self.organization is not None and permission in self.organization.permissions


def session_from_claims(claims: Mapping[str, Any]) -> Session:
    """Build a `Session` from verified claims (`sub` and `sid` already checked)."""
    azp = claims.get("azp")
    return Session(
        user_id=claims["sub"],
        session_id=claims["sid"],
        organization=_organization_v2(claims) if claims.get("v") == 2 else _organization_v1(claims),
        actor=_actor(claims.get("act")),
        expires_at=int(claims["exp"]),
        issued_at=int(claims["iat"]) if claims.get("iat") is not None else None,  # a finite number: checked
        authorized_party=azp if isinstance(azp, str) else None,
        claims=claims,
    )


def _organization_v1(claims: Mapping[str, Any]) -> ActiveOrganization | None:
    org_id = _organization_id(claims.get("org_id"))
    if org_id is None:
        return None
    permissions = claims.get("org_permissions")
    return ActiveOrganization(
        id=org_id,
        slug=_str_or_none(claims.get("org_slug"), MAX_SLUG_LENGTH),
        role=_role(claims.get("org_role")),
        permissions=tuple(p for p in permissions if isinstance(p, str)) if isinstance(permissions, list) else (),
    )


def _organization_v2(claims: Mapping[str, Any]) -> ActiveOrganization | None:
    org = claims.get("o")
    if not isinstance(org, Mapping):
        return None
    org_id = _organization_id(org.get("id"))
    if org_id is None:
        return None
    return ActiveOrganization(
        id=org_id,
        slug=_str_or_none(org.get("slg"), MAX_SLUG_LENGTH),
        role=_role(org.get("rol")),
        permissions=_v2_permissions(claims.get("fea"), org.get("per"), org.get("fpm")),
    )


def _actor(value: object) -> Actor | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or not is_clerk_id(value.get("sub")):
        raise MalformedToken("malformed act claim")
    session_id = value.get("sid")
    return Actor(
        subject=value["sub"],
        session_id=session_id if is_clerk_id(session_id) else None,
        type=_str_or_none(value.get("type"), MAX_ROLE_LENGTH),
    )


def _organization_id(value: object) -> str | None:
    """The active organization's id; a present value that is not a Clerk id makes the token malformed."""
    if value is None or value == "":
        return None
    if not is_clerk_id(value):
        raise MalformedToken("malformed organization claim")
    return value


def _role(value: object) -> str | None:
    role = _str_or_none(value, MAX_ROLE_LENGTH)
    return _with_org_prefix(role) if role else None


def _v2_permissions(fea: object, per: object, fpm: object) -> tuple[str, ...]:
    """Expand v2's packed permissions.

    `fea` lists features with a scope prefix (`o:` organization, `u:` user); the
    organization-scoped ones line up, in order, with the comma-separated integers of
    `fpm`, whose bits (least significant first) select entries of `per`.
    """
    if not (isinstance(fea, str) and isinstance(per, str) and isinstance(fpm, str)) or not per or not fpm:
        return ()
    org_features = [
        name for scope, _, name in (f.strip().partition(":") for f in fea.split(",")) if "o" in scope and name
    ]
    actions = [p.strip() for p in per.split(",")]
    permissions: list[str] = []
    for feature, bitmap in zip(org_features, fpm.split(","), strict=False):
        # Only a plain decimal grants anything: int() would also take "-1" (every bit set
        # in two's complement), "+3", "1_0" or other scripts' digits.
        digits = bitmap.strip()
        if not (digits.isascii() and digits.isdigit() and len(digits) <= 20):
            continue
        bits = int(digits)
        permissions.extend(
            f"org:{feature}:{action}" for index, action in enumerate(actions) if bits >> index & 1 and action
        )
    return tuple(permissions)


def _with_org_prefix(role: str) -> str:
    return role if role.startswith("org:") else f"org:{role}"


def _str_or_none(value: object, max_length: int) -> str | None:
    return value if isinstance(value, str) and 0 < len(value) <= max_length else None
