from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "hazardledger.meetings"
    label = "meetings"
    verbose_name = _("联席会议")

    def ready(self) -> None:
        from hazardledger.hazards.notification_kinds import register_kind
        from hazardledger.jobs.schedule import register as register_job
        from hazardledger.org.navigation import register, register_home_action

        from . import jobs
        from .selectors import MEETING_READER_ROLES, RECORDER_ROLES, my_overdue_count

        register(_("联席会议"), "meetings:list", MEETING_READER_ROLES, 40)
        register(_("督办事项"), "meetings:items", MEETING_READER_ROLES, 41, badge=my_overdue_count)
        register(_("会议频次"), "meetings:compliance", MEETING_READER_ROLES, 42)
        register_home_action(
            _("我的督办事项"), "meetings:items", MEETING_READER_ROLES, 40, primary=False
        )
        register_home_action(
            _("录入联席会议"), "meetings:create", RECORDER_ROLES, 41, primary=False
        )
        register_kind("meeting_due", _("联席会议将到期"))
        register_kind("meeting_missed", _("联席会议未按期召开"))
        register_kind("item_overdue", _("督办事项逾期"))
        register_job("meeting_reminders", jobs.scheduled_reminders, daily_at="08:10", catch_up=True)
