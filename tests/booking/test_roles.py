import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from booking.roles import AGENT_GROUP, HEAD_GROUP, ROLES
from booking.services import check_in_booking
from tests.factories import SlotFactory, at, book_confirmed, person

pytestmark = pytest.mark.django_db


def _codes(group: Group) -> set[tuple[str, str]]:
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_the_migrations_create_the_groups_with_their_permissions():
    for name, wanted in ROLES.items():
        assert _codes(Group.objects.get(name=name)) == set(wanted)


def test_an_agent_cannot_change_configuration_a_head_of_bureau_can(agent, head):
    assert agent.has_perms(["booking.view_agenda", "booking.check_in", "booking.book_for_caller"])
    assert not agent.has_perm("counters.change_counter")
    assert not agent.has_perm("counters.add_exceptionalopening")
    assert not agent.has_perm("booking.view_statistics")
    assert head.has_perms(["counters.change_counter", "counters.add_exceptionalopening", "booking.view_statistics"])
    assert {g.name for g in agent.groups.all()} == {AGENT_GROUP}
    assert {g.name for g in head.groups.all()} == {HEAD_GROUP}


def test_the_audit_trail_names_the_agent_who_changed_a_booking(agent):
    slot = SlotFactory(starts_at=at(timezone.localdate(), 9))
    booking = book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person())
    check_in_booking(booking=booking, agent=agent)
    latest = booking.history.latest()
    assert (latest.status, latest.history_user, latest.history_type) == ("checked_in", agent, "~")
    assert booking.history.earliest().history_type == "+"
    assert not hasattr(latest, "token")


def test_heads_of_bureau_configure_their_sites_and_a_national_administrator_adds_sites(head, national_admin):
    assert head.has_perms(["counters.change_site", "staff_sites.reset_second_factor", "auth.view_user"])
    assert not head.has_perm("counters.add_site") and not head.has_perm("counters.delete_site")
    assert not head.has_perm("staff_sites.see_all_sites") and not head.has_perm("auth.change_user")
    assert national_admin.has_perms(["counters.add_site", "staff_sites.see_all_sites"])
    assert not national_admin.has_perm("auth.change_user")  # accounts and their sites stay with superusers
