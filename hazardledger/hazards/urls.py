from django.urls import path

from . import quick, views
from .imports import views as imports

app_name = "hazards"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("export.xlsx", views.export, name="export"),
    path("import/", imports.upload, name="import"),
    path("import/template.xlsx", imports.template, name="import_template"),
    path("import/<int:pk>/", imports.batch, name="import_batch"),
    path("import/<int:pk>/remap/", imports.remap, name="import_remap"),
    path("import/<int:pk>/apply/", imports.apply, name="import_apply"),
    path("new/", views.create, name="create"),
    path("quick/", quick.quick, name="quick"),
    path("mine/", views.mywork, name="mywork"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("workflow/", views.workflow, name="workflow"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/plan/", views.plan, name="plan"),
    path("<int:pk>/print/", views.print_card, name="print"),
    path("<int:pk>/files/<int:file_id>/", views.file, name="file"),
    path("<int:pk>/<slug:action>/", views.action, name="action"),
]
