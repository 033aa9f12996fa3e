"""The messaging app's URLs, mounted at messages/: the engine's (unsubscribe links) and the SMS
gateway's callback."""

from abwab.messaging import urls_compose, urls_engine, urls_sms

app_name = "messaging"

urlpatterns = [*urls_engine.urlpatterns, *urls_sms.urlpatterns, *urls_compose.urlpatterns]
