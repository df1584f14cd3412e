from django.urls import path

from . import views, views_steps

app_name = "enforcement"
urlpatterns = [
    path("", views.cases, name="cases"),
    path("worklist/", views.worklist, name="worklist"),
    path("workflow/", views.workflow, name="workflow"),
    path("new/", views.open_case, name="open"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.action, name="action"),
    path("<int:pk>/checklist/", views.checklist, name="checklist"),
    path("<int:pk>/documents/new/", views.document_new, name="document_new"),
    path("<int:pk>/measures/new/", views_steps.measure_new, name="measure_new"),
    path("<int:pk>/resumption/new/", views_steps.resumption_new, name="resumption_new"),
    path("documents/<int:doc_id>/", views.document_file, name="document"),
    path("documents/<int:doc_id>/serve/", views.document_serve, name="document_serve"),
    path("measures/<int:measure_id>/<slug:step>/", views_steps.measure_step, name="measure"),
    path("proposals/<int:proposal_id>/", views_steps.proposal, name="proposal"),
    path(
        "resumptions/<int:resumption_id>/<slug:action>/",
        views_steps.resumption_step,
        name="resumption",
    ),
    path("structures/", views_steps.structures, name="structures"),
    path("structures/new/", views_steps.structure_new, name="structure_new"),
    path("projects/", views_steps.projects, name="projects"),
    path("projects/new/", views_steps.project_new, name="project_new"),
    path("joint/", views_steps.joint_actions, name="joint"),
    path("joint/new/", views_steps.joint_new, name="joint_new"),
]
