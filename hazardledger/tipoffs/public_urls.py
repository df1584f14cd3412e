"""The public pages (/public/): no login, nothing served back that a reporter sent."""

from django.urls import path

from . import views_public

urlpatterns = [
    path("", views_public.info, name="info"),
    path("tipoff/", views_public.submit, name="submit"),
    path("tipoff/status/", views_public.status, name="status"),
    path("tipoff/reply/", views_public.reply, name="reply"),
    path("tipoff/claim/", views_public.claim, name="claim"),
]
