from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/items/new/", views.item_create, name="item_create"),
    path("<int:pk>/minutes.docx", views.minutes, name="minutes"),
    path("<int:pk>/signin.docx", views.signin, name="signin"),
    path("items/", views.item_list, name="items"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/file/", views.item_file, name="item_file"),
    path("items/<int:pk>/<slug:action>/", views.item_action, name="item_action"),
    path("compliance/", views.compliance_table, name="compliance"),
    path("workflow/", views.workflow, name="workflow"),
]
