from django.urls import path

from . import views

app_name = "attestations"

urlpatterns = [
    path("attestation/demarche/<int:pk>/", views.RequestCertificateView.as_view(), name="request"),
    path("attestation/verifier/", views.VerifyView.as_view(), name="verify"),
    path("attestation/verifier/<str:code>/", views.VerifyView.as_view(), name="verify-code"),
    path("attestation/verifier/<str:code>/attestation.pdf", views.CertificatePdfView.as_view(), name="pdf"),
]
