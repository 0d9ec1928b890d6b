from django.urls import path

from .antibot.views import ChallengeView
from .views import flow, manage, verify

app_name = "booking"

urlpatterns = [
    path("rendez-vous/", flow.ProcedureListView.as_view(), name="procedures"),
    path("rendez-vous/demarche/<int:pk>/", flow.StartView.as_view(), name="start"),
    path("rendez-vous/conditions/", flow.EligibilityView.as_view(), name="eligibility"),
    path("rendez-vous/creneau/", flow.SlotView.as_view(), name="slot"),
    path("rendez-vous/coordonnees/", flow.IdentityView.as_view(), name="identity"),
    path("rendez-vous/verification/", flow.ReviewView.as_view(), name="review"),
    path("rendez-vous/code/", verify.CodeView.as_view(), name="verify"),
    path("rendez-vous/code/renvoyer/", verify.ResendView.as_view(), name="verify-resend"),
    path("rendez-vous/valider/<str:token>/", verify.LinkView.as_view(), name="verify-link"),
    path("rendez-vous/confirmation/<str:token>/", flow.ConfirmationView.as_view(), name="confirmation"),
    # Before <token>/, which would otherwise take "lien-perdu" for a token.
    path("mon-rendez-vous/lien-perdu/", manage.LostLinkView.as_view(), name="lost-link"),
    path("mon-rendez-vous/<str:token>/", manage.ManageView.as_view(), name="manage"),
    path("mon-rendez-vous/<str:token>/annuler/", manage.CancelView.as_view(), name="cancel"),
    path("mon-rendez-vous/<str:token>/deplacer/", manage.MoveView.as_view(), name="move"),
    path("mon-rendez-vous/<str:token>/supprimer-mes-donnees/", manage.EraseView.as_view(), name="erase"),
    path("mon-rendez-vous/<str:token>/convocation.pdf", manage.ConvocationView.as_view(), name="convocation"),
    path("mon-rendez-vous/<str:token>/agenda.ics", manage.CalendarView.as_view(), name="calendar"),
    path("anti-robot/defi/<slug:purpose>/", ChallengeView.as_view(), name="antibot-challenge"),
]
