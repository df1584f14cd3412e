from django.urls import path

from . import views, views_letters

app_name = "tipoffs"

urlpatterns = [
    path("", views.tipoff_list, name="list"),
    path("intake/", views.intake, name="intake"),
    path("workflow/", views.workflow_page, name="workflow"),
    path("reveals/", views.reveal_log, name="reveals"),
    path("reveals/<int:pk>/decide/", views.reveal_decide_view, name="reveal_decide"),
    path("rewards/<int:pk>/<str:action>/", views.reward_action, name="reward_action"),
    path("letters/", views_letters.letters, name="letters"),
    path("letters/<int:pk>.docx", views_letters.letter_download, name="letter_download"),
    path("letters/<int:pk>/distribute/", views_letters.distribute, name="distribute"),
    path("files/<int:pk>/", views.file_download, name="file"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.act, name="act"),
    path("<int:pk>/message/", views.message, name="message"),
    path("<int:pk>/hazard/", views.raise_hazard, name="raise_hazard"),
    path("<int:pk>/duplicate/", views.confirm_duplicate, name="duplicate"),
    path("<int:pk>/reveal/", views.reveal_request_view, name="reveal_request"),
    path("<int:pk>/identity/", views.identity, name="identity"),
    path("<int:pk>/reward/", views.reward_propose_view, name="reward_propose"),
]
