from django.urls import path

from . import views

app_name = "questions"

urlpatterns = [
    path("poser-une-question/", views.AskView.as_view(), name="ask"),
    path("poser-une-question/envoyer/", views.SendView.as_view(), name="send"),
    path("poser-une-question/code/", views.CodeView.as_view(), name="verify"),
    path("poser-une-question/code/renvoyer/", views.ResendView.as_view(), name="verify-resend"),
    path("poser-une-question/valider/<str:token>/", views.LinkView.as_view(), name="verify-link"),
    path("ma-question/<str:token>/", views.ThreadView.as_view(), name="thread"),
    path("ma-question/<str:token>/repondre/", views.ReplyView.as_view(), name="reply"),
    path("ma-question/<str:token>/avis/", views.HelpfulView.as_view(), name="helpful"),
]
