"""Staff pages, under /agents/."""

from django.urls import path

from .views import staff

app_name = "staff"

urlpatterns = [
    path("", staff.StaffHomeView.as_view(), name="home"),
    path("agenda/", staff.AgendaView.as_view(), name="agenda"),
    path("arrivee/", staff.CheckInView.as_view(), name="check-in"),
    path("rendez-vous/<str:reference>/", staff.BookingDeskView.as_view(), name="booking"),
    path("rendez-vous/<str:reference>/<slug:action>/", staff.BookingActionView.as_view(), name="booking-action"),
    path("reserver/", staff.CallerBookingView.as_view(), name="book"),
    path("export/", staff.ExportView.as_view(), name="export"),
    path("statistiques/", staff.StatisticsView.as_view(), name="statistics"),
]
