from django.urls import path

from .views import flow

app_name = "booking"

urlpatterns = [
    path("rendez-vous/", flow.ProcedureListView.as_view(), name="procedures"),
    path("rendez-vous/demarche/<int:pk>/", flow.StartView.as_view(), name="start"),
    path("rendez-vous/conditions/", flow.EligibilityView.as_view(), name="eligibility"),
    path("rendez-vous/creneau/", flow.SlotView.as_view(), name="slot"),
    path("rendez-vous/coordonnees/", flow.IdentityView.as_view(), name="identity"),
    path("rendez-vous/verification/", flow.ReviewView.as_view(), name="review"),
    path("rendez-vous/confirmation/<str:token>/", flow.ConfirmationView.as_view(), name="confirmation"),
    path("mon-rendez-vous/<str:token>/", flow.ManageView.as_view(), name="manage"),
]
