"""Typed views of Clerk's user, organization and membership objects.

Webhook `data` and Backend API responses share these shapes. Timestamps are Clerk's
milliseconds since the epoch; `updated_at` orders versions of the same object.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class PayloadError(ValueError):
    """A Clerk object is missing a field this application needs."""


@dataclass(frozen=True)
class ClerkUser:
    id: str
    email: str | None  # the primary address, lower-cased
    email_verified: bool
    first_name: str
    last_name: str
    image_url: str
    created_at: int | None
    updated_at: int | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "ClerkUser":
        email, verified = _primary_email(data)
        return cls(
            id=_id(data),
            email=email,
            email_verified=verified,
            first_name=_text(data.get("first_name")),
            last_name=_text(data.get("last_name")),
            image_url=_text(data.get("image_url") or data.get("profile_image_url")),
            created_at=_millis(data.get("created_at")),
            updated_at=_millis(data.get("updated_at")),
        )


@dataclass(frozen=True)
class ClerkOrganization:
    id: str
    name: str
    slug: str
    image_url: str
    created_at: int | None
    updated_at: int | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "ClerkOrganization":
        return cls(
            id=_id(data),
            name=_text(data.get("name")),
            slug=_text(data.get("slug")),
            image_url=_text(data.get("image_url") or data.get("logo_url")),
            created_at=_millis(data.get("created_at")),
            updated_at=_millis(data.get("updated_at")),
        )


@dataclass(frozen=True)
class PublicUserData:
    """The snapshot of a member that Clerk embeds in a membership; enough to stand in for the user."""

    user_id: str
    identifier: str
    first_name: str
    last_name: str
    image_url: str

    @classmethod
    def from_json(cls, data: Any) -> "PublicUserData":
        if not isinstance(data, Mapping) or not isinstance(data.get("user_id"), str) or not data["user_id"]:
            raise PayloadError("membership has no public_user_data.user_id")
        return cls(
            user_id=data["user_id"],
            identifier=_text(data.get("identifier")),
            first_name=_text(data.get("first_name")),
            last_name=_text(data.get("last_name")),
            image_url=_text(data.get("image_url") or data.get("profile_image_url")),
        )


@dataclass(frozen=True)
class ClerkMembership:
    id: str
    role: str
    organization: ClerkOrganization
    member: PublicUserData
    created_at: int | None
    updated_at: int | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "ClerkMembership":
        organization = data.get("organization")
        if not isinstance(organization, Mapping):
            raise PayloadError("membership has no organization object")
        role = data.get("role")
        if not isinstance(role, str) or not role:
            raise PayloadError("membership has no role")
        return cls(
            id=_id(data),
            role=role,
            organization=ClerkOrganization.from_json(organization),
            member=PublicUserData.from_json(data.get("public_user_data")),
            created_at=_millis(data.get("created_at")),
            updated_at=_millis(data.get("updated_at")),
        )


def deleted_object_id(data: Mapping[str, Any]) -> str:
    """The id of a `*.deleted` event's object (users and organizations carry only `{id, deleted}`)."""
    return _id(data)


def _id(data: Mapping[str, Any]) -> str:
    value = data.get("id") if isinstance(data, Mapping) else None
    if not isinstance(value, str) or not value or len(value) > 64:
        raise PayloadError("object has no valid id")
    return value


def _primary_email(data: Mapping[str, Any]) -> tuple[str | None, bool]:
    primary_id = data.get("primary_email_address_id")
    addresses = data.get("email_addresses")
    if not primary_id or not isinstance(addresses, list):
        return None, False
    for address in addresses:
        if isinstance(address, Mapping) and address.get("id") == primary_id:
            email = address.get("email_address")
            if not isinstance(email, str) or "@" not in email:
                return None, False
            verification = address.get("verification")
            verified = isinstance(verification, Mapping) and verification.get("status") == "verified"
            return email.strip().lower(), verified
    return None, False


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _millis(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value
