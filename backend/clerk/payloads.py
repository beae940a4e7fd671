"""Typed, validated views of Clerk's user, organization and membership objects.

Webhook `data` and Backend API responses share these shapes. Timestamps are Clerk's
milliseconds since the epoch; `updated_at` orders versions of the same object.

Every value is checked when the payload is read, against Clerk's own limits and what the
database can store, so a payload that cannot be applied is known before anything is
written: `PayloadError` names the field. A signed payload is trusted to come from Clerk,
not to be well-formed.
"""

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clerk.emails import normalize_email
from clerk.ids import is_clerk_id


class PayloadError(ValueError):
    """A Clerk object is missing a field this application needs, or holds a value it cannot store."""


# Clerk's limits (names: 256 characters) and the columns sized to them (users.models).
MAX_NAME_LENGTH = 256
MAX_EMAIL_LENGTH = 254  # RFC 5321's limit on a path, and Django's EmailField
MAX_URL_LENGTH = 2048
MAX_ROLE_LENGTH = 128
MAX_MILLIS = 2**63 - 1  # a signed 64-bit column
# Clerk stamps its own clock; a version "from the future" would freeze the row against
# every genuine update until then, so anything beyond this much ahead is malformed.
MAX_CLOCK_AHEAD_MS = 24 * 3600 * 1000


@dataclass(frozen=True)
class ClerkUser:
    id: str
    email: str | None  # the primary address in normal form (clerk.emails), only once verified
    first_name: str
    last_name: str
    image_url: str
    created_at: int | None
    updated_at: int | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "ClerkUser":
        return cls(
            id=_id(data),
            email=_verified_primary_email(data),
            first_name=_text(data, "first_name", MAX_NAME_LENGTH),
            last_name=_text(data, "last_name", MAX_NAME_LENGTH),
            image_url=_image_url(data, "profile_image_url"),
            created_at=_millis(data, "created_at"),
            updated_at=_millis(data, "updated_at"),
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
            name=_text(data, "name", MAX_NAME_LENGTH),
            slug=_text(data, "slug", MAX_NAME_LENGTH),
            image_url=_image_url(data, "logo_url"),
            created_at=_millis(data, "created_at"),
            updated_at=_millis(data, "updated_at"),
        )


@dataclass(frozen=True)
class PublicUserData:
    """The snapshot of a member that Clerk embeds in a membership; enough to stand in for the user."""

    user_id: str
    first_name: str
    last_name: str
    image_url: str

    @classmethod
    def from_json(cls, data: Any) -> "PublicUserData":
        if not isinstance(data, Mapping):
            raise PayloadError("membership has no public_user_data")
        user_id = data.get("user_id")
        if not is_clerk_id(user_id):
            raise PayloadError("membership has no valid public_user_data.user_id")
        return cls(
            user_id=user_id,
            first_name=_text(data, "first_name", MAX_NAME_LENGTH),
            last_name=_text(data, "last_name", MAX_NAME_LENGTH),
            image_url=_image_url(data, "profile_image_url"),
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
        role = _text(data, "role", MAX_ROLE_LENGTH)
        if not role:
            raise PayloadError("membership has no role")
        return cls(
            id=_id(data),
            role=role,
            organization=ClerkOrganization.from_json(organization),
            member=PublicUserData.from_json(data.get("public_user_data")),
            created_at=_millis(data, "created_at"),
            updated_at=_millis(data, "updated_at"),
        )


@dataclass(frozen=True)
class MembershipDeletion:
    """An `organizationMembership.deleted` event: unlike users' and organizations', it carries the
    whole membership, so who left which organization is known even when no row was ever synced."""

    id: str
    organization_id: str | None
    user_id: str | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "MembershipDeletion":
        organization, member = data.get("organization"), data.get("public_user_data")
        organization_id = organization.get("id") if isinstance(organization, Mapping) else None
        user_id = member.get("user_id") if isinstance(member, Mapping) else None
        return cls(
            id=_id(data),
            organization_id=organization_id if is_clerk_id(organization_id) else None,
            user_id=user_id if is_clerk_id(user_id) else None,
        )


def deleted_object_id(data: Mapping[str, Any]) -> str:
    """The id of a `*.deleted` event's object (users and organizations carry only `{id, deleted}`)."""
    return _id(data)


def _id(data: Mapping[str, Any]) -> str:
    value = data.get("id") if isinstance(data, Mapping) else None
    if not is_clerk_id(value):
        raise PayloadError("object has no valid id")
    return value


def _verified_primary_email(data: Mapping[str, Any]) -> str | None:
    """The primary address in normal form once Clerk has verified it; None otherwise.

    An unverified address proves nothing about who holds it, so it is not mirrored: it
    never links an account, never takes an address from anyone, and cannot be used to
    squat on one before its owner signs up.
    """
    primary_id = data.get("primary_email_address_id")
    addresses = data.get("email_addresses")
    if not primary_id or not isinstance(addresses, list):
        return None
    for address in addresses:
        if isinstance(address, Mapping) and address.get("id") == primary_id:
            verification = address.get("verification")
            if not isinstance(verification, Mapping) or verification.get("status") != "verified":
                return None
            email = _text(address, "email_address", MAX_EMAIL_LENGTH)
            if "@" not in email:
                raise PayloadError("email_address is not an email address")
            return normalize_email(email)
    return None


def _text(data: Mapping[str, Any], field: str, max_length: int) -> str:
    value = data.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PayloadError(f"{field} is not a string")
    if len(value) > max_length:
        raise PayloadError(f"{field} is longer than {max_length} characters")
    if "\x00" in value:
        raise PayloadError(f"{field} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a \ud800-style escape: not text
        raise PayloadError(f"{field} is not valid Unicode") from None
    return value


def _image_url(data: Mapping[str, Any], legacy_field: str) -> str:
    field = "image_url" if data.get("image_url") else legacy_field
    url = _text(data, field, MAX_URL_LENGTH)
    if url and not url.startswith(("https://", "http://")):
        raise PayloadError(f"{field} is not an http(s) URL")
    return url


def _millis(data: Mapping[str, Any], field: str) -> int | None:
    value = data.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_MILLIS:
        raise PayloadError(f"{field} is not a timestamp in milliseconds")
    if value > time.time() * 1000 + MAX_CLOCK_AHEAD_MS:
        raise PayloadError(f"{field} is more than a day ahead of this server's clock")
    return value
