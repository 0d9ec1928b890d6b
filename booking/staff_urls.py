"""Staff pages, under /agents/."""

from django.urls import include, path

from .views import staff, staff_release

app_name = "staff"

urlpatterns = [
    path("", staff.StaffHomeView.as_view(), name="home"),
    path("agenda/", staff.AgendaView.as_view(), name="agenda"),
    path("arrivee/", staff.CheckInView.as_view(), name="check-in"),
    path("rendez-vous/<str:reference>/", staff.BookingDeskView.as_view(), name="booking"),
    # Before the desk actions' pattern, which would take "liberer-usurpation" for an action.
    path(
        "rendez-vous/<str:reference>/liberer-usurpation/",
        staff_release.ReleaseUsurpedView.as_view(),
        name="release-usurped",
    ),
    path("rendez-vous/<str:reference>/<slug:action>/", staff.BookingActionView.as_view(), name="booking-action"),
    path("reserver/", staff.CallerBookingView.as_view(), name="book"),
    path("export/", staff.ExportView.as_view(), name="export"),
    path("statistiques/", staff.StatisticsView.as_view(), name="statistics"),
    # The information service: written questions and the phone log (booking.questions).
    path("questions/", include("booking.questions.staff_urls")),
]
