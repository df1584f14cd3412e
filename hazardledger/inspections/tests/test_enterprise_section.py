"""The inspections section of the enterprise page and the record list filtered to one."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from hazardledger.inspections.dossier import SECTION_ROWS


def section(client, enterprise, name="enterprises:detail") -> str:
    response = client.get(reverse(name, args=[enterprise.credit_code]))
    assert response.status_code == 200
    html = response.content.decode()
    if 'id="section-inspections"' not in html:
        return ""
    start = html.index('id="section-inspections"')
    return html[start : html.index("</section>", start)]


class InspectionSectionTestCase:
    def test_it_lists_the_enterprises_inspections(self, kit, client_for):
        mine = kit.inspect(kit.a_build, fail=2)
        other = kit.inspect(kit.a_chem)
        html = section(client_for(kit.d.tom), kit.a_build)
        assert mine.number in html and other.number not in html
        assert '<span class="warn">2</span>' in html
        assert f'href="/inspections/records/new/?enterprise={kit.a_build.pk}"' in html

    def test_it_is_left_out_for_those_who_do_not_read_inspections(self, kit, rf):
        from hazardledger.inspections.dossier import render_inspection_section

        kit.inspect(kit.a_build)
        request = rf.get("/")
        request.user = kit.d.hank  # a hotline operator reads no inspection records
        assert render_inspection_section(request, kit.a_build) is None
        request.user = kit.d.tom
        assert render_inspection_section(request, kit.a_build) is not None

    def test_it_says_so_when_there_are_none(self, kit, client_for):
        assert "该企业还没有检查记录" in section(client_for(kit.d.tom), kit.a_build)

    def test_it_shows_the_newest_and_links_to_the_rest(self, kit, client_for):
        today = timezone.localdate()
        done = [kit.inspect(kit.a_build, on=today - timedelta(days=i)) for i in range(12)]
        client = client_for(kit.d.tom)
        html = section(client, kit.a_build)
        assert done[0].number in html and done[SECTION_ROWS - 1].number in html
        assert done[SECTION_ROWS].number not in html
        assert f"以上是最近 {SECTION_ROWS} 次" in html
        listing = client.get(reverse("inspections:list"), {"enterprise": kit.a_build.pk})
        page = listing.content.decode()
        assert f"只显示“{kit.a_build.name}”的检查记录" in page
        assert set(_numbers(page)) == {i.number for i in done}

    def test_the_filtered_list_stays_in_scope(self, kit, client_for):
        kit.inspect(kit.b_build, actor=kit.d.tina)
        page = (
            client_for(kit.d.tom)
            .get(reverse("inspections:list"), {"enterprise": kit.b_build.pk})
            .content.decode()
        )
        assert kit.b_build.name not in page and "没有符合条件的检查记录" in page

    def test_it_is_in_the_printed_dossier(self, kit, client_for):
        done = kit.inspect(kit.a_build)
        assert done.number in section(client_for(kit.d.tom), kit.a_build, "enterprises:dossier")


def _numbers(page: str) -> list[str]:
    import re

    return re.findall(r'href="/inspections/records/\d+/">([^<]+)</a>', page)
