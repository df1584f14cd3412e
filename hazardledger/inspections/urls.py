from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.campaigns, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/targets/", views.campaign_targets, name="campaign_targets"),
    path("campaigns/<int:pk>/coverage.xlsx", views.campaign_export, name="campaign_export"),
    path("records/", views.inspection_list, name="list"),
    path("records/new/", views.inspection_create, name="create"),
    path("records/<int:pk>/", views.inspection_detail, name="detail"),
    path("records/<int:pk>/confirm/", views.inspection_confirm, name="confirm"),
    path("records/<int:pk>/items/<int:item_pk>/hazard/", views.item_hazard, name="item_hazard"),
    path("records/<int:pk>/items/<int:item_pk>/photo/", views.item_photo, name="item_photo"),
    path("checklists/", views.checklists, name="checklists"),
    path("checklists/new/", views.checklist_create, name="checklist_create"),
    path("checklists/versions/<int:pk>/", views.checklist_version, name="checklist_version"),
    path("checklists/versions/<int:pk>/edit/", views.checklist_edit, name="checklist_edit"),
    path(
        "checklists/versions/<int:pk>/publish/", views.checklist_publish, name="checklist_publish"
    ),
    path(
        "checklists/versions/<int:pk>/archive/", views.checklist_archive, name="checklist_archive"
    ),
    path("self/", views.self_inspection, name="self"),
    path("self/missed.xlsx", views.self_export, name="self_export"),
    path("self/schedules/new/", views.schedules_create, name="schedules_create"),
    path("self/schedules/<int:enterprise_pk>/", views.schedule_edit, name="schedule_edit"),
]
