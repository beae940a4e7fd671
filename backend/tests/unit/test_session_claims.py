"""Both of Clerk's organization claim formats decode to the same session."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clerk.session import session_from_claims

BASE = {"sub": "user_1", "sid": "sess_1", "exp": 2_000_000_000}


def test_no_organization_claims_means_no_active_organization() -> None:
    assert session_from_claims(BASE).organization is None
    assert session_from_claims({**BASE, "v": 2}).organization is None


def test_version_1_flat_claims() -> None:
    session = session_from_claims(
        {
            **BASE,
            "org_id": "org_1",
            "org_role": "org:admin",
            "org_slug": "acme",
            "org_permissions": ["org:dashboard:read", "org:teams:manage"],
        }
    )
    assert session.organization is not None
    assert session.organization.id == "org_1"
    assert session.organization.slug == "acme"
    assert session.organization.role == "org:admin"
    assert session.organization.permissions == ("org:dashboard:read", "org:teams:manage")


def test_version_2_unpacks_the_docs_example() -> None:
    # Clerk's documented example: per "manage,read", fpm "3,2", fea "o:dashboard,o:teams".
    session = session_from_claims(
        {
            **BASE,
            "v": 2,
            "o": {"id": "org_1", "rol": "admin", "slg": "acme", "per": "manage,read", "fpm": "3,2"},
            "fea": "o:dashboard,o:teams",
        }
    )
    assert session.organization is not None
    assert session.organization.role == "org:admin"
    assert session.organization.slug == "acme"
    assert session.organization.permissions == (
        "org:dashboard:manage",
        "org:dashboard:read",
        "org:teams:read",
    )


def test_version_2_user_scoped_features_do_not_shift_the_organization_map() -> None:
    session = session_from_claims(
        {
            **BASE,
            "v": 2,
            "o": {"id": "org_1", "rol": "member", "per": "read", "fpm": "1"},
            "fea": "u:profile,o:reports",
        }
    )
    assert session.organization is not None
    assert session.organization.permissions == ("org:reports:read",)


def test_a_role_already_prefixed_is_not_prefixed_twice() -> None:
    session = session_from_claims({**BASE, "v": 2, "o": {"id": "org_1", "rol": "org:billing"}})
    assert session.organization is not None
    assert session.organization.role == "org:billing"


def test_role_and_permission_checks() -> None:
    session = session_from_claims(
        {**BASE, "org_id": "org_1", "org_role": "org:admin", "org_permissions": ["org:dashboard:read"]}
    )
    assert session.has_role("org:admin")
    assert session.has_role("admin")
    assert not session.has_role("org:member")
    assert session.has_permission("org:dashboard:read")
    assert not session.has_permission("org:dashboard:manage")


features = st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=1, max_size=4, unique=True)
actions = st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=1, max_size=4, unique=True)


@given(features=features, actions=actions, data=st.data())
def test_version_2_and_version_1_agree_on_any_permission_set(
    features: list[str], actions: list[str], data: st.DataObject
) -> None:
    """Packing a permission set into v2's bitmaps and decoding it gives the v1 list back."""
    granted = {
        (feature, action)
        for feature in features
        for action in actions
        if data.draw(st.booleans(), label=f"{feature}:{action}")
    }
    fpm = ",".join(str(sum(1 << i for i, a in enumerate(actions) if (f, a) in granted)) for f in features)
    v2 = session_from_claims(
        {
            **BASE,
            "v": 2,
            "o": {"id": "org_1", "rol": "member", "per": ",".join(actions), "fpm": fpm},
            "fea": ",".join(f"o:{f}" for f in features),
        }
    )
    expected = [f"org:{f}:{a}" for f in features for a in actions if (f, a) in granted]
    v1 = session_from_claims({**BASE, "org_id": "org_1", "org_role": "org:member", "org_permissions": expected})
    assert v2.organization is not None
    assert v1.organization is not None
    assert set(v2.organization.permissions) == set(v1.organization.permissions) == set(expected)


@pytest.mark.parametrize("bitmap", ["-1", "+3", "1_1", "\u0663", " 0x3", "3.0", "abc", "9" * 21])
def test_a_bitmap_that_is_not_a_plain_decimal_grants_nothing(bitmap: str) -> None:
    """int() would read "-1" as every bit set: an attacker-friendly "admin of everything"."""
    session = session_from_claims(
        {
            **BASE,
            "v": 2,
            "o": {"id": "org_1", "rol": "member", "per": "read,manage", "fpm": f"{bitmap},1"},
            "fea": "o:billing,o:reports",
        }
    )
    assert session.organization is not None
    assert session.organization.permissions == ("org:reports:read",)
