"""The information service's staff pages, under /agents/questions/ (namespace staff:questions)."""

from django.urls import path

from . import staff_views

app_name = "questions"

urlpatterns = [
    path("", staff_views.InboxView.as_view(), name="inbox"),
    path("telephone/", staff_views.PhoneLogView.as_view(), name="phone"),
    path("chiffres.csv", staff_views.FiguresCsvView.as_view(), name="figures-csv"),
    path("<str:reference>/", staff_views.ThreadView.as_view(), name="thread"),
    path("<str:reference>/rendez-vous/", staff_views.OfferAppointmentView.as_view(), name="offer"),
    path("<str:reference>/<slug:action>/", staff_views.ThreadActionView.as_view(), name="action"),
]
