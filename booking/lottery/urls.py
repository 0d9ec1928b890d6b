from django.urls import path

from . import views

app_name = "lottery"

urlpatterns = [
    path("tirage/<int:pk>/", views.OpeningView.as_view(), name="opening"),
    path("tirage/<int:pk>/tirage.txt", views.DrawTextView.as_view(), name="draw-text"),
    path("tirage/<int:pk>/inscription/<int:type_pk>/", views.RegisterView.as_view(), name="register"),
    path("tirage/code/", views.CodeView.as_view(), name="verify"),
    path("tirage/code/renvoyer/", views.ResendView.as_view(), name="verify-resend"),
    path("tirage/valider/<str:token>/", views.LinkView.as_view(), name="verify-link"),
    path("tirage/mon-inscription/<str:token>/", views.RegistrationView.as_view(), name="registration"),
    path(
        "tirage/mon-inscription/<str:token>/liste-attente/",
        views.JoinWaitlistView.as_view(),
        name="join-waitlist",
    ),
]
