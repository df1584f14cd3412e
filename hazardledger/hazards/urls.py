from django.urls import path

from . import quick, views

app_name = "hazards"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("export.xlsx", views.export, name="export"),
    path("import/", views.import_view, name="import"),
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
