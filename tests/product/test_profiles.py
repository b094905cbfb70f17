"""``configgen.profiles``: what ``--product`` accepts, and the version questions rules ask.

The predicates are checked on both sides of each version boundary the README names: bootstrap
tokens from stackstate 5.1.3, ``roles.platformAdmin`` gone, usernames checked and
``fromExternalSecret`` read from suse-observability 2.2.0, ``rancher`` from 2.3.0,
``dedicatedSubject`` from 2.3.6.
"""

from __future__ import annotations

import pytest

from configgen.product import profiles
from configgen.product.profiles import Profile, ProfileError, parse

BASE_ROLES = {"stackstate-admin", "stackstate-power-user", "stackstate-guest"}
PLATFORM_ADMIN = "stackstate-platform-admin"
K8S_ROLES = {"stackstate-k8s-troubleshooter", "stackstate-k8s-admin"}


@pytest.mark.parametrize(
    ("text", "name", "version"),
    [
        # A name alone means its newest version.
        ("stackstate", "stackstate", (5, 1, 15)),
        ("stackstate-k8s", "stackstate-k8s", (1, 99, 99)),
        ("suse-observability", "suse-observability", (2, 99, 99)),
        # Partial versions are filled with the newest known parts.
        ("stackstate-5", "stackstate", (5, 1, 15)),
        ("stackstate-5.1", "stackstate", (5, 1, 15)),
        ("stackstate-5.0", "stackstate", (5, 0, 15)),
        ("suse-observability-2", "suse-observability", (2, 99, 99)),
        ("suse-observability-2.3", "suse-observability", (2, 3, 99)),
        # Full versions are kept as given.
        ("stackstate-5.1.2", "stackstate", (5, 1, 2)),
        ("stackstate-5.1.3", "stackstate", (5, 1, 3)),
        ("suse-observability-2.3.6", "suse-observability", (2, 3, 6)),
        # The k8s name holds a digit: "-k8s" is part of the name, never a version.
        ("stackstate-k8s-1", "stackstate-k8s", (1, 99, 99)),
        ("stackstate-k8s-1.2", "stackstate-k8s", (1, 2, 99)),
        ("stackstate-k8s-1.2.3", "stackstate-k8s", (1, 2, 3)),
        # Surrounding blanks are ignored.
        ("  suse-observability-2.2  ", "suse-observability", (2, 2, 99)),
    ],
)
def test_parse(text: str, name: str, version: tuple[int, int, int]) -> None:
    profile = parse(text)
    assert (profile.name, profile.version) == (name, version)
    assert str(profile) == text.strip()  # reported as the user wrote it


def test_profiles_compare_by_name_and_version_not_by_spelling() -> None:
    assert parse("stackstate-5") == parse("stackstate-5.1.15") == parse("stackstate")
    assert parse("stackstate-5.1.2") != parse("stackstate-5.1.3")


def test_str_without_a_label_spells_out_the_version() -> None:
    assert str(Profile("suse-observability", (2, 3, 6))) == "suse-observability-2.3.6"


def test_default_profile_is_the_newest_suse_observability() -> None:
    assert Profile("suse-observability", (2, 99, 99)) == profiles.DEFAULT_PROFILE
    assert str(profiles.DEFAULT_PROFILE) == "suse-observability"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("stackstate-6", "stackstate has only major version 5: write stackstate-5"),
        ("stackstate-4.9.9", "stackstate has only major version 5"),
        ("stackstate-k8s-2", "stackstate-k8s has only major version 1: write stackstate-k8s-1"),
        ("suse-observability-1.9", "suse-observability has only major version 2"),
        ("suse-observability-3", "suse-observability has only major version 2"),
    ],
)
def test_wrong_major_version(text: str, fragment: str) -> None:
    with pytest.raises(ProfileError) as caught:
        parse(text)
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "sts",
        "stackstate5",
        "SUSE-Observability-2.3",  # names are lower-case
        "suse-observability-2.3.6.1",  # at most three version parts
        "suse-observability-v2",
        "suse-observability-2.x",
        "suse observability",
        "observability-2",
        "stackstate-k8-1",
    ],
)
def test_unknown_names(text: str) -> None:
    with pytest.raises(ProfileError) as caught:
        parse(text)
    message = str(caught.value)
    assert message.startswith(f"unknown product {text!r}: use one of ")
    assert "stackstate, stackstate-k8s, suse-observability" in message


# --- predicates at their boundaries -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stackstate-5.1.2", False),
        ("stackstate-5.1.3", True),
        ("stackstate-5.0", False),
        ("stackstate-5.1", True),  # newest 5.1.x
        ("stackstate-k8s-1.0.0", True),
        ("suse-observability-2.0.0", True),
    ],
)
def test_supports_bootstrap_token(text: str, expected: bool) -> None:
    assert parse(text).supports_bootstrap_token is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("suse-observability-2.3.5", False),
        ("suse-observability-2.3.6", True),
        ("suse-observability-2.2", False),
        ("suse-observability-2.4.0", True),
        ("suse-observability-2.3", True),  # newest 2.3.x
        ("stackstate-5.1", False),
        ("stackstate-k8s-1", False),
    ],
)
def test_reads_dedicated_subject(text: str, expected: bool) -> None:
    assert parse(text).reads_dedicated_subject is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("suse-observability-2.1", False),  # 2.1.x, however late
        ("suse-observability-2.1.99", False),
        ("suse-observability-2.2.0", True),
        ("suse-observability-2.2", True),
        ("stackstate-5.1", False),
        ("stackstate-k8s-1", False),
    ],
)
def test_version_2_2_boundary(text: str, expected: bool) -> None:
    profile = parse(text)
    assert profile.ignores_platform_admin is expected
    assert profile.checks_file_login_usernames is expected
    assert profile.reads_external_secret is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("suse-observability-2.2", False),  # 2.2.x, however late
        ("suse-observability-2.2.99", False),
        ("suse-observability-2.3.0", True),
        ("suse-observability-2.3", True),
        ("stackstate-5.1", False),
        ("stackstate-k8s-1", False),
    ],
)
def test_reads_rancher(text: str, expected: bool) -> None:
    assert parse(text).reads_rancher is expected


def test_at_least_needs_the_same_product() -> None:
    profile = parse("stackstate-k8s-1.5.0")
    assert profile.at_least("stackstate-k8s", 1, 5, 0)
    assert profile.at_least("stackstate-k8s", 1, 4)
    assert not profile.at_least("stackstate-k8s", 1, 5, 1)
    assert not profile.at_least("suse-observability", 0, 0, 0)


# --- predefined roles ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stackstate-5.1", BASE_ROLES | {PLATFORM_ADMIN}),
        ("stackstate-5.1.2", BASE_ROLES | {PLATFORM_ADMIN}),
        ("stackstate-k8s-1", BASE_ROLES | {PLATFORM_ADMIN} | K8S_ROLES),
        ("suse-observability-2.1", BASE_ROLES | {PLATFORM_ADMIN} | K8S_ROLES),
        ("suse-observability-2.2.0", BASE_ROLES | K8S_ROLES),
        ("suse-observability", BASE_ROLES | K8S_ROLES),
    ],
)
def test_known_roles(text: str, expected: set[str]) -> None:
    assert parse(text).known_roles == frozenset(expected)
