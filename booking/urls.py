from django.urls import path

from . import views

app_name = "booking"

urlpatterns = [
    path("rendez-vous/", views.ProcedureListView.as_view(), name="procedures"),
    path("rendez-vous/demarche/<int:pk>/", views.StartView.as_view(), name="start"),
    path("rendez-vous/conditions/", views.EligibilityView.as_view(), name="eligibility"),
    path("rendez-vous/creneau/", views.SlotView.as_view(), name="slot"),
    path("rendez-vous/coordonnees/", views.IdentityView.as_view(), name="identity"),
    path("rendez-vous/verification/", views.ReviewView.as_view(), name="review"),
    path("rendez-vous/confirmation/<str:token>/", views.ConfirmationView.as_view(), name="confirmation"),
    path("mon-rendez-vous/<str:token>/", views.ManageView.as_view(), name="manage"),
]
