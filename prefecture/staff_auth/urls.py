"""The staff login and account pages, under /agents/."""

from django.urls import path

from . import views

app_name = "staff_auth"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("connexion/code/", views.CodeView.as_view(), name="verify"),
    path("connexion/activation/", views.EnrolmentView.as_view(), name="enrol"),
    path("connexion/codes-de-secours/", views.RecoveryCodesView.as_view(), name="recovery-codes"),
    path("compte/", views.AccountView.as_view(), name="account"),
    path("compte/nouveaux-codes/", views.NewRecoveryCodesView.as_view(), name="new-recovery-codes"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
]
