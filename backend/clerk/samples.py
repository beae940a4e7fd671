"""Realistic Clerk webhook events, shaped like the ones Clerk sends.

The `clerk_webhook` management command sends these to try the endpoint without a
Clerk account (so they ship with the application); the test suite and `make bench`
build their histories from them.
"""

import secrets
import time
from typing import Any


def now_ms() -> int:
    return int(time.time() * 1000)


def random_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def user_data(
    *,
    user_id: str,
    email: str | None = "ada@example.com",
    email_verified: bool = True,
    first_name: str = "Ada",
    last_name: str = "Lovelace",
    image_url: str = "https://img.clerk.com/sample-avatar.png",
    created_at: int | None = None,
    updated_at: int | None = None,
) -> dict[str, Any]:
    created = created_at if created_at is not None else now_ms()
    email_id = f"idn_{user_id.removeprefix('user_')}"
    addresses = (
        [
            {
                "id": email_id,
                "object": "email_address",
                "email_address": email,
                "linked_to": [],
                "verification": {
                    "status": "verified" if email_verified else "unverified",
                    "strategy": "email_code",
                    "attempts": 1,
                    "expire_at": None,
                },
            }
        ]
        if email
        else []
    )
    return {
        "id": user_id,
        "object": "user",
        "username": None,
        "first_name": first_name,
        "last_name": last_name,
        "image_url": image_url,
        "has_image": bool(image_url),
        "primary_email_address_id": email_id if email else None,
        "primary_phone_number_id": None,
        "primary_web3_wallet_id": None,
        "email_addresses": addresses,
        "phone_numbers": [],
        "web3_wallets": [],
        "external_accounts": [],
        "public_metadata": {},
        "private_metadata": {},
        "unsafe_metadata": {},
        "password_enabled": False,
        "two_factor_enabled": False,
        "banned": False,
        "locked": False,
        "last_sign_in_at": None,
        "created_at": created,
        "updated_at": updated_at if updated_at is not None else created,
    }


def organization_data(
    *,
    organization_id: str,
    name: str = "Acme Inc",
    slug: str = "acme",
    image_url: str = "https://img.clerk.com/sample-logo.png",
    created_at: int | None = None,
    updated_at: int | None = None,
) -> dict[str, Any]:
    created = created_at if created_at is not None else now_ms()
    return {
        "id": organization_id,
        "object": "organization",
        "name": name,
        "slug": slug,
        "image_url": image_url,
        "has_image": bool(image_url),
        "members_count": 1,
        "max_allowed_memberships": 5,
        "admin_delete_enabled": True,
        "public_metadata": {},
        "private_metadata": {},
        "created_by": "",
        "created_at": created,
        "updated_at": updated_at if updated_at is not None else created,
    }


def membership_data(
    *,
    membership_id: str,
    organization: dict[str, Any],
    user_id: str,
    identifier: str = "ada@example.com",
    first_name: str = "Ada",
    last_name: str = "Lovelace",
    role: str = "org:admin",
    created_at: int | None = None,
    updated_at: int | None = None,
) -> dict[str, Any]:
    created = created_at if created_at is not None else now_ms()
    return {
        "id": membership_id,
        "object": "organization_membership",
        "role": role,
        "role_name": role.removeprefix("org:").title(),
        "permissions": [],
        "public_metadata": {},
        "private_metadata": {},
        "organization": organization,
        "public_user_data": {
            "user_id": user_id,
            "identifier": identifier,
            "first_name": first_name,
            "last_name": last_name,
            "image_url": "https://img.clerk.com/sample-avatar.png",
            "profile_image_url": "https://img.clerk.com/sample-avatar.png",
            "has_image": True,
        },
        "created_at": created,
        "updated_at": updated_at if updated_at is not None else created,
    }


def deleted_data(*, object_id: str, object_type: str) -> dict[str, Any]:
    return {"id": object_id, "object": object_type, "deleted": True}


def event(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "event",
        "type": event_type,
        "data": data,
        "timestamp": now_ms(),
        "instance_id": "ins_sample",
        "event_attributes": {"http_request": {"client_ip": "127.0.0.1", "user_agent": "clerk_webhook sample"}},
    }


def sample_event(event_type: str) -> dict[str, Any]:
    """One plausible event of `event_type`, with fixed sample ids so a sequence of them relates."""
    user_id, organization_id, membership_id = "user_sample", "org_sample", "orgmem_sample"
    organization = organization_data(organization_id=organization_id)
    if event_type in ("user.created", "user.updated"):
        return event(event_type, user_data(user_id=user_id, updated_at=now_ms()))
    if event_type == "user.deleted":
        return event(event_type, deleted_data(object_id=user_id, object_type="user"))
    if event_type in ("organization.created", "organization.updated"):
        return event(event_type, organization_data(organization_id=organization_id, updated_at=now_ms()))
    if event_type == "organization.deleted":
        return event(event_type, deleted_data(object_id=organization_id, object_type="organization"))
    if event_type.startswith("organizationMembership."):
        return event(
            event_type,
            membership_data(
                membership_id=membership_id, organization=organization, user_id=user_id, updated_at=now_ms()
            ),
        )
    # Any other type (email.created, session.created, …): Clerk sends it; this app ignores it.
    return event(event_type, {"id": random_id("obj"), "object": event_type.split(".")[0]})
