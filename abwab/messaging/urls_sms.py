from django.urls import path

from abwab.messaging import views_sms

urlpatterns = [
    # The SMS gateway posts receipts and replies here, with the shared secret in the path
    # or in the X-Abwab-Secret header.
    path("sms/callback/<str:secret>/", views_sms.sms_callback, name="sms_callback"),
    path("sms/callback/", views_sms.sms_callback, name="sms_callback_header"),
]
