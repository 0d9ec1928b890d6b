from django.urls import path

from . import views

app_name = "waitlist"

urlpatterns = [
    path("liste-attente/demarche/<int:pk>/", views.JoinView.as_view(), name="join"),
    path("liste-attente/code/", views.CodeView.as_view(), name="verify"),
    path("liste-attente/code/renvoyer/", views.ResendView.as_view(), name="verify-resend"),
    path("liste-attente/valider/<str:token>/", views.LinkView.as_view(), name="verify-link"),
    path("liste-attente/inscription/<str:token>/", views.EntryView.as_view(), name="entry"),
    path("liste-attente/inscription/<str:token>/quitter/", views.LeaveView.as_view(), name="leave"),
    path("liste-attente/offre/<str:token>/", views.OfferView.as_view(), name="offer"),
]
