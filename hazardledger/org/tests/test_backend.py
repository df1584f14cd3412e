"""The signed-in user is read with their unit and role codes in one query."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hazardledger.org.backends import UnitModelBackend
from hazardledger.org.models import Role, RoleGrant
from hazardledger.org.selectors import has_role, roles_of


class BackendTestCase:
    def test_it_reads_the_user_unit_and_roles_in_one_query(self, district):
        backend = UnitModelBackend()
        RoleGrant.objects.create(user=district.tom, role=Role.EXPERT)
        with CaptureQueriesContext(connection) as queries:
            user = backend.get_user(district.tom.pk)
            assert user.unit.name == district.town_a.name
            assert roles_of(user) == {Role.TERRITORY_OFFICER, Role.EXPERT}
            assert has_role(user, Role.EXPERT) and not has_role(user, Role.DISTRICT_ADMIN)
        assert len(queries) == 1

    def test_a_person_without_roles_has_none(self, district):
        district.tom.role_grants.all().delete()
        assert roles_of(UnitModelBackend().get_user(district.tom.pk)) == frozenset()

    def test_a_revoked_role_is_gone_on_the_next_request(self, district, client_for):
        from django.urls import reverse

        client = client_for(district.alice)
        assert client.get(reverse("org:directory")).status_code == 200
        district.alice.role_grants.all().delete()
        assert client.get(reverse("org:directory")).status_code == 403

    def test_an_inactive_person_is_not_signed_in(self, district):
        district.tom.is_active = False
        district.tom.save(update_fields=["is_active"])
        assert UnitModelBackend().get_user(district.tom.pk) is None
