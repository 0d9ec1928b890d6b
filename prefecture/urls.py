from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import health, views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", views.HomeView.as_view(), name="home"),
    path("informations-pratiques/", views.PracticalInformationView.as_view(), name="practical-information"),
    path("questions-frequentes/", views.FaqView.as_view(), name="faq"),
    path("accessibilite/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_PATH, admin.site.urls),  # DJANGO_ADMIN_PATH, "admin/" unless set
    path("agents/", include("prefecture.staff_auth.urls")),
    path("agents/", include("booking.staff_urls")),
    path("", include("booking.urls")),
    path("", include("booking.attestations.urls")),
    path("", include("booking.transparency.urls")),
    path("", include("booking.lottery.urls")),
    path("", include("booking.waitlist.urls")),
    path("", include("booking.questions.urls")),
]

handler400 = "prefecture.views.bad_request"
handler403 = "prefecture.views.permission_denied"
handler404 = "prefecture.views.page_not_found"
handler500 = "prefecture.views.server_error"

if settings.BENCH_FLOOR_VIEW:  # make bench only: see prefecture/benchfloor.py
    from .benchfloor import floor

    urlpatterns.insert(0, path("bench/floor/<int:slot_id>/", floor))
