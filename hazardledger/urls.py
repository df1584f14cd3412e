from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from hazardledger.api.api import api
from hazardledger.org import views as org_views

from . import errors

urlpatterns = [
    path("", org_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", errors.logout_view, name="logout"),
    path("org/", include("hazardledger.org.urls")),
    path("policy/", include("hazardledger.policy.urls")),
    path("audit/", include("hazardledger.audit.urls")),
    path("enterprises/", include("hazardledger.enterprises.urls")),
    path("experts/", include("hazardledger.experts.urls")),
    path("hazards/", include("hazardledger.hazards.urls")),
    path("inspections/", include("hazardledger.inspections.urls")),
    path("enforcement/", include("hazardledger.enforcement.urls")),
    path("meetings/", include("hazardledger.meetings.urls")),
    path("", include("hazardledger.blacklist.urls")),
    path("tipoffs/", include("hazardledger.tipoffs.urls")),
    path("public/", include(("hazardledger.tipoffs.public_urls", "public"))),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
