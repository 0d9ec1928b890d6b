from django.urls import path

from . import views

app_name = "transparency"

urlpatterns = [
    path("transparence/", views.TransparencyIndexView.as_view(), name="index"),
    path("transparence/<slug:slug>/", views.SiteTransparencyView.as_view(), name="site"),
]
