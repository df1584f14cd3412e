"""The demo: about 300 enterprises with valid codes and a few gaps; a second run adds nothing."""

from __future__ import annotations

from hazardledger.audit.models import AuditEvent
from hazardledger.demo import district as demo_district
from hazardledger.demo import enterprises as demo_enterprises
from hazardledger.enterprises.coverage import coverage_for
from hazardledger.enterprises.models import Enterprise, EnterpriseAccount, Procedure
from hazardledger.enterprises.selectors import with_procedure_state
from hazardledger.lib import credit_code
from hazardledger.org.models import User


class DemoTestCase:
    def test_it_builds_the_demo_enterprises_once(
        self, db, settings, tmp_path, django_assert_max_num_queries
    ):
        settings.DATA_DIR = tmp_path
        demo_district.build()
        assert demo_enterprises.build() == 300
        codes = list(Enterprise.objects.values_list("credit_code", flat=True))
        assert len(codes) == 300 and all(credit_code.is_valid(c) for c in codes)
        assert Enterprise.objects.values("territory").distinct().count() == 12  # 11 + none
        assert Procedure.objects.count() > 300
        incomplete = (
            with_procedure_state(Enterprise.objects.all())
            .filter(procedures_incomplete=True)
            .count()
        )
        assert 10 < incomplete < 100
        account = EnterpriseAccount.objects.get(user__username="enterprise")
        assert account.enterprise.territory.code == "T-BJZ"
        admin = User.objects.get(username="admin")
        gaps = {g.key: g.count for g in coverage_for(admin).gaps}
        assert gaps["no_territory"] == 2 and gaps["no_industry"] == 2
        assert 0 < gaps["no_territory_contact"] < 20
        events = AuditEvent.objects.count()
        with django_assert_max_num_queries(200):
            assert demo_enterprises.build() == 0
        assert Enterprise.objects.count() == 300
        assert AuditEvent.objects.count() == events
