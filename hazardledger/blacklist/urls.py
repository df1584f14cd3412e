from django.urls import path

from . import public, views

app_name = "blacklist"

urlpatterns = [
    path("blacklist/", views.entry_list, name="list"),
    path("blacklist/new/", views.entry_create, name="create"),
    path("blacklist/workflow/", views.workflow, name="workflow"),
    path("blacklist/export.xlsx", views.export_xlsx, name="export"),
    path("blacklist/checks/", views.check_log, name="checks"),
    path("blacklist/<int:pk>/", views.entry_detail, name="detail"),
    path("blacklist/<int:pk>/act/<slug:action>/", views.entry_action, name="action"),
    path("blacklist/<int:pk>/partners/", views.partner_notice_create, name="partner"),
    path("blacklist/<int:pk>/notice.docx", views.notice_docx, name="notice"),
    path("public/blacklist/", public.register, name="public"),
    path("public/blacklist/rules/", public.rules_page, name="public_rules"),
]
