"""Pool pages: who sees what (login, 403, 404), keeping the records, the expert's own page."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hazardledger.audit.models import AuditEvent
from hazardledger.experts.models import (
    Expert,
    ExpertAssignment,
    ExpertCertificate,
    ExpertEngagement,
    Unavailability,
)
from hazardledger.experts.services import expert_assign
from hazardledger.org.models import Role, User

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


class AccessTestCase:
    def test_it_requires_login(self, pool):
        response = Client().get(reverse("experts:list"))
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_it_lets_readers_and_assigners_browse_and_refuses_others(self, pool):
        d = pool.district
        for person in (d.alice, d.leo, d.sam, d.tom, d.dora, d.fred):
            assert client(person).get(reverse("experts:list")).status_code == 200
        for person in (d.eve, d.carl, d.hank, d.nobody, d.xena):
            assert client(person).get(reverse("experts:list")).status_code == 403
        # An expert reaches only their own record; another's is missing (404).
        yuri = pool.expert(pool.person("yuri", "王建国"))
        assert client(d.xena).get(reverse("experts:detail", args=[yuri.pk])).status_code == 403
        assert client(d.tom).get(reverse("experts:detail", args=[99999])).status_code == 404

    def test_it_lets_only_the_admin_keep_the_pool(self, pool):
        d = pool.district
        for name, args in [
            ("experts:create", []),
            ("experts:edit", [pool.xena.pk]),
            ("experts:child_add", [pool.xena.pk, "certificate"]),
        ]:
            assert client(d.tom).get(reverse(name, args=args)).status_code == 403
            assert client(d.leo).get(reverse(name, args=args)).status_code == 403
            assert client(d.alice).get(reverse(name, args=args)).status_code == 200
        assert (
            client(d.alice).get(reverse("experts:child_add", args=[pool.xena.pk, "x"])).status_code
            == 404
        )


class ListTestCase:
    def test_it_lists_with_filters_and_todays_state(self, pool, django_assert_max_num_queries):
        yuri = pool.expert(pool.person("yuri", "王建国"), [pool.hazchem], certificate_days=-1)
        Unavailability.objects.create(
            expert=pool.xena, starts_on=timezone.localdate(), ends_on=timezone.localdate()
        )
        admin = client(pool.district.alice)
        # More rows cost no more queries; 13 includes the menu's badge counts.
        for i in range(8):
            pool.expert(pool.person(f"p{i}", f"专家{i}"), [pool.construction, pool.hazchem])
        with django_assert_max_num_queries(13):
            page = admin.get(reverse("experts:list")).content.decode()
        assert "Xena" in page and "王建国" in page and "今日不可用" in page and "无有效证书" in page
        only = admin.get(reverse("experts:list"), {"specialty": pool.hazchem.pk}).content.decode()
        assert "王建国" in only and "Xena" not in only
        expired = admin.get(reverse("experts:list"), {"certificate": "expired"}).content.decode()
        assert "王建国" in expired and "Xena" not in expired
        available = admin.get(reverse("experts:list"), {"available": "on"}).content.decode()
        assert "王建国" in available and ">Xena<" not in available
        assert yuri.pk
        named = admin.get(reverse("experts:list"), {"q": "安全科学"}).content.decode()
        assert "Xena" in named and "王建国" not in named

    def test_it_answers_bad_filters_without_error(self, pool):
        admin = client(pool.district.alice)
        for query in ({"specialty": "x\x00"}, {"page": "10" * 20}, {"q": "a" * 500}):
            assert admin.get(reverse("experts:list"), query).status_code == 200


class KeepingTestCase:
    def test_it_adds_an_expert_with_a_new_login(self, pool):
        d = pool.district
        response = client(d.alice).post(
            reverse("experts:create"),
            {
                "username": "wangjg",
                "full_name": "王建国",
                "phone": "13900000000",
                "password": "correct-horse-9",
                "specialties": [pool.construction.pk, pool.hazchem.pk],
                "title": "高级工程师",
                "employer": "市安全评价中心",
                "employer_enterprise": pool.ent_b.credit_code,
                "is_active": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        expert = Expert.objects.get(user__username="wangjg")
        assert expert.employer_enterprise == pool.ent_b and expert.specialties.count() == 2
        assert expert.user.role_grants.filter(role=Role.EXPERT).exists()
        assert expert.user.unit == d.experts and expert.user.check_password("correct-horse-9")
        assert AuditEvent.objects.filter(action="expert.create", object_id=str(expert.pk)).exists()

    def test_it_adds_an_existing_expert_login(self, pool):
        olga = pool.person("olga", "欧佳")
        page = client(pool.district.alice).get(reverse("experts:create")).content.decode()
        assert "欧佳" in page and ">Xena" not in page  # xena is in the pool already
        response = client(pool.district.alice).post(
            reverse("experts:create"), {"user": olga.pk, "is_active": "on"}
        )
        assert response.status_code == 302 and Expert.objects.filter(user=olga).exists()

    def test_it_refuses_bad_input_field_by_field(self, pool):
        admin = client(pool.district.alice)
        count = User.objects.count()
        response = admin.post(reverse("experts:create"), {"employer_enterprise": "不存在的公司"})
        page = response.content.decode()
        assert response.status_code == 400
        assert "请选择已有专家账号" in page and "找不到该企业" in page
        taken = admin.post(
            reverse("experts:create"),
            {"username": "alice", "full_name": "甲", "password": "correct-horse-9"},
        )
        assert taken.status_code == 400 and "该用户名已被使用" in taken.content.decode()
        weak = admin.post(
            reverse("experts:create"), {"username": "w1", "full_name": "甲", "password": "1"}
        )
        assert weak.status_code == 400 and User.objects.count() == count

    def test_it_edits_an_expert(self, pool):
        response = client(pool.district.alice).post(
            reverse("experts:edit", args=[pool.xena.pk]),
            {"specialties": [pool.hazchem.pk], "employer": "新单位", "note": "备注"},
        )
        assert response.status_code == 302
        pool.xena.refresh_from_db()
        assert pool.xena.employer == "新单位" and not pool.xena.is_active
        assert list(pool.xena.specialties.all()) == [pool.hazchem]
        event = AuditEvent.objects.get(action="expert.update")
        assert event.changes["employer"] == ["省安全科学研究院", "新单位"]

    def test_it_records_certificates_with_a_checked_file(self, pool):
        admin = client(pool.district.alice)
        url = reverse("experts:child_add", args=[pool.xena.pk, "certificate"])
        bad = admin.post(
            url,
            {
                "kind": "rse",
                "number": "A-1",
                "valid_until": "2026-02-30",
                "file": SimpleUploadedFile("x.pdf", b"not a pdf"),
            },
        )
        assert bad.status_code == 400 and ExpertCertificate.objects.count() == 1
        good = admin.post(
            url,
            {
                "kind": "rse",
                "number": "A-1",
                "valid_until": "2030-01-31",
                "file": SimpleUploadedFile("cert.pdf", PDF),
            },
        )
        assert good.status_code == 302
        cert = ExpertCertificate.objects.get(number="A-1")
        assert cert.file.name.startswith("experts/") and cert.original_name == "cert.pdf"
        download = admin.get(reverse("experts:certificate_file", args=[pool.xena.pk, cert.pk]))
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
        again = admin.post(url, {"kind": "rse", "number": "A-1", "valid_until": "2030-01-31"})
        assert again.status_code == 400 and "该证书已登记" in again.content.decode()
        unreadable = admin.post(
            url,
            {
                "kind": "rse",
                "number": "B",
                "valid_until": "2030-01-31",
                "file": SimpleUploadedFile("c.pdf", b"%PDF-x"),
            },
        )
        assert unreadable.status_code == 302  # a PDF by its content
        assert (
            client(pool.district.tom)
            .post(reverse("experts:child_remove", args=[pool.xena.pk, "certificate", cert.pk]))
            .status_code
            == 403
        )
        removed = admin.post(
            reverse("experts:child_remove", args=[pool.xena.pk, "certificate", cert.pk])
        )
        assert (
            removed.status_code == 302 and not ExpertCertificate.objects.filter(pk=cert.pk).exists()
        )

    def test_it_records_engagements_and_periods(self, pool):
        admin = client(pool.district.alice)
        base = [pool.xena.pk]
        response = admin.post(
            reverse("experts:child_add", args=[*base, "engagement"]),
            {"enterprise": pool.ent_a.name, "kind": "consulting", "started_on": "2026-01-01"},
        )
        assert response.status_code == 302
        assert ExpertEngagement.objects.get().enterprise == pool.ent_a
        backwards = admin.post(
            reverse("experts:child_add", args=[*base, "unavailable"]),
            {"starts_on": "2026-05-02", "ends_on": "2026-05-01"},
        )
        assert (
            backwards.status_code == 400
            and "结束日期不能早于开始日期" in backwards.content.decode()
        )
        assert (
            admin.post(
                reverse("experts:child_add", args=[*base, "unavailable"]),
                {"starts_on": "2026-05-01", "ends_on": "2026-05-03", "reason": "出差"},
            ).status_code
            == 302
        )
        page = admin.get(reverse("experts:detail", args=base)).content.decode()
        assert "甲镇建筑公司" in page and "出差" in page and "至今" in page

    def test_it_checks_conflicts_on_the_detail_page(self, pool):
        pool.xena.employer_enterprise = pool.ent_a
        pool.xena.save()
        admin = client(pool.district.alice)
        url = reverse("experts:detail", args=[pool.xena.pk])
        page = admin.get(url, {"enterprise": pool.ent_a.credit_code}).content.decode()
        assert "受雇于甲镇建筑公司" in page
        page = admin.get(url, {"enterprise": pool.ent_b.credit_code}).content.decode()
        assert "无利益冲突" in page


class MineTestCase:
    def test_it_shows_the_expert_only_open_assignments(self, pool):
        d = pool.district
        a = expert_assign(actor=d.tom, expert=pool.xena, target=pool.ent_a, enterprise=pool.ent_a)
        mine = client(d.xena)
        mine.get(reverse("experts:mine"))  # the session's first request also refreshes it
        with CaptureQueriesContext(connection) as one:
            mine.get(reverse("experts:mine"))
        expert_assign(actor=d.tom, expert=pool.xena, target=pool.ent_b, enterprise=pool.ent_b)
        with CaptureQueriesContext(connection) as two:
            page = mine.get(reverse("experts:mine")).content.decode()
        assert len(two) == len(one)  # targets are read together, not one per row
        assert page.count(">进行中<") == 2
        released = client(d.tom).post(reverse("experts:release", args=[a.pk]))
        assert released.status_code == 302
        page = mine.get(reverse("experts:mine")).content.decode()
        assert "甲镇建筑公司" not in page and "乙街道化工公司" in page
        assert client(d.xena).post(reverse("experts:release", args=[a.pk])).status_code == 403
        assert client(d.tom).get(reverse("experts:mine")).status_code == 403

    def test_it_answers_a_second_release_with_a_message(self, pool):
        d = pool.district
        a = expert_assign(actor=d.tom, expert=pool.xena, target=pool.ent_a, enterprise=pool.ent_a)
        tom = client(d.tom)
        tom.post(reverse("experts:release", args=[a.pk]))
        response = tom.post(reverse("experts:release", args=[a.pk]), follow=True)
        assert "该指派已解除" in response.content.decode()
        assert ExpertAssignment.objects.get().released_by == d.tom


class AdminTestCase:
    def test_it_shows_the_pool_in_the_admin_and_keeps_assignments_read_only(self, pool):
        root = User.objects.create_superuser("root", password="correct-horse-9")
        c = client(root)
        for url in (
            "/admin/experts/expert/",
            f"/admin/experts/expert/{pool.xena.pk}/change/",
            "/admin/experts/specialty/",
            "/admin/experts/expertassignment/",
        ):
            assert c.get(url).status_code == 200, url
        assert c.get("/admin/experts/expertassignment/add/").status_code == 403


class ChildScopeTestCase:
    def test_it_reaches_records_only_through_their_expert(self, pool):
        d = pool.district
        yuri = pool.expert(pool.person("yuri", "王建国"))
        theirs = yuri.certificates.get()
        admin = client(d.alice)
        wrong = reverse("experts:child_remove", args=[pool.xena.pk, "certificate", theirs.pk])
        assert admin.post(wrong).status_code == 404
        assert admin.get(wrong).status_code == 405  # removals are POSTs only
        assert ExpertCertificate.objects.filter(pk=theirs.pk).exists()
        unknown = reverse("experts:child_remove", args=[pool.xena.pk, "nothing", 1])
        assert admin.post(unknown).status_code == 404
        # An expert downloads their own certificate scan, never another's.
        theirs.file = "experts/x.pdf"
        theirs.save()
        url = reverse("experts:certificate_file", args=[yuri.pk, theirs.pk])
        assert client(d.xena).get(url).status_code == 404
        assert client(d.eve).get(url).status_code == 403
