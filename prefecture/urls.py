from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("informations-pratiques/", views.PracticalInformationView.as_view(), name="practical-information"),
    path("questions-frequentes/", views.FaqView.as_view(), name="faq"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("agents/", include("booking.staff_urls")),
    path("", include("booking.urls")),
    path("", include("booking.attestations.urls")),
    path("", include("booking.transparency.urls")),
]

handler400 = "prefecture.views.bad_request"
handler403 = "prefecture.views.permission_denied"
handler404 = "prefecture.views.page_not_found"
handler500 = "prefecture.views.server_error"
