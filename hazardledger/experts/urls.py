from django.urls import path

from . import views

app_name = "experts"
urlpatterns = [
    path("", views.pool_list, name="list"),
    path("new/", views.expert_create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("assignments/<int:pk>/release/", views.assignment_release, name="release"),
    path("<int:pk>/", views.expert_detail, name="detail"),
    path("<int:pk>/edit/", views.expert_edit, name="edit"),
    path("<int:pk>/certificate/<int:child>/file/", views.certificate_file, name="certificate_file"),
    path("<int:pk>/<slug:kind>/new/", views.child_add, name="child_add"),
    path("<int:pk>/<slug:kind>/<int:child>/delete/", views.child_remove, name="child_remove"),
]
