from django.urls import path

from . import views

app_name = "policy"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("upload/", views.upload, name="upload"),
]
