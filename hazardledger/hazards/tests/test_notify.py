from __future__ import annotations

import pytest

from hazardledger.hazards.models import Notification
from hazardledger.hazards.notification_kinds import kind_label, register_kind
from hazardledger.hazards.notifications import notify, unread_count

pytestmark = pytest.mark.django_db


class NotifyTestCase:
    def test_it_sends_once_per_key(self, district):
        register_kind("test_kind", "测试提醒")
        assert notify(user=district.tom, kind="test_kind", key="k:1", message="请处理", link="/x/")
        assert not notify(user=district.tom, kind="test_kind", key="k:1", message="请处理")
        assert Notification.objects.filter(user=district.tom).count() == 1
        assert unread_count(district.tom) == 1

    def test_it_keeps_links_inside_the_system(self, district):
        notify(user=district.tom, kind="x", key="k:2", message="m", link="https://evil.example/")
        notify(user=district.tom, kind="x", key="k:3", message="m", link="//evil.example/")
        assert set(Notification.objects.values_list("link", flat=True)) == {""}

    def test_it_labels_registered_and_unknown_kinds(self):
        register_kind("test_kind2", "会议提醒")
        assert kind_label("test_kind2") == "会议提醒"
        assert kind_label("overdue") == "已逾期"
        assert kind_label("never_registered") == "提醒"

    def test_it_shows_the_link_on_the_messages_page(self, district, client_for):
        register_kind("test_kind3", "会议提醒")
        notify(user=district.tom, kind="test_kind3", key="k:4", message="周会提醒", link="/org/")
        page = client_for(district.tom).get("/hazards/notifications/").content.decode()
        assert 'href="/org/"' in page
        assert "会议提醒" in page


class UnreadBadgeTestCase:
    def test_it_counts_unread_messages_beside_the_menu_entry(self, district, client_for):
        for i in range(3):
            notify(user=district.tom, kind="overdue", key=f"b:{i}", message=f"第{i}条")
        notify(user=district.tina, kind="overdue", key="b:other", message="别人的")
        client = client_for(district.tom)
        page = client.get("/").content.decode()
        assert '<span class="badge" aria-label="3 条未读">3</span>' in page
        client.post("/hazards/notifications/read/")
        assert 'class="badge"' not in client.get("/").content.decode()
