from django.urls import path

from . import views
from .imports import pages

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("export.xlsx", views.enterprise_export, name="export"),
    path("import/", pages.upload, name="import"),
    path("import/template.xlsx", pages.template, name="import_template"),
    path("import/<int:pk>/", pages.batch, name="import_batch"),
    path("import/<int:pk>/remap/", pages.remap, name="import_remap"),
    path("import/<int:pk>/apply/", pages.apply, name="import_apply"),
    path("import/<int:pk>/alias/", pages.alias, name="import_alias"),
    path("import/<int:pk>/errors.xlsx", pages.errors, name="import_errors"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/export.xlsx", views.coverage_export, name="coverage_export"),
    path("procedure-kinds/", views.procedure_kinds, name="procedure_kinds"),
    path("procedure-kinds/new/", views.procedure_kind_form, name="procedure_kind_create"),
    path("procedure-kinds/<slug:code>/", views.procedure_kind_form, name="procedure_kind_edit"),
    path("<str:code>/", views.enterprise_detail, name="detail"),
    path("<str:code>/dossier/", views.enterprise_print, name="dossier"),
    path("<str:code>/edit/", views.enterprise_edit, name="edit"),
    path("<str:code>/status/", views.enterprise_status, name="status"),
    path("<str:code>/procedures/new/", views.procedure_form, name="procedure_add"),
    path("<str:code>/procedures/<int:pk>/", views.procedure_form, name="procedure_edit"),
    path("<str:code>/rules/new/", views.rule_add, name="rule_add"),
    path("<str:code>/services/new/", views.service_add, name="service_add"),
    path("<str:code>/files/<str:kind>/<int:pk>/", views.attachment, name="attachment"),
]
