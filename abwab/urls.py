from django.contrib import admin
from django.urls import include, path

from abwab.api.api import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("abwab.core.urls")),
    path("accounts/", include("abwab.accounts.urls")),
    path("territory/", include("abwab.territory.urls")),
    path("people/", include("abwab.people.urls")),
    path("campaigns/", include("abwab.campaigns.urls")),
    path("listening/", include("abwab.listening.urls")),
    path("meetings/", include("abwab.meetings.urls")),
    path("news/", include("abwab.meetings.news_urls")),
    path("open-doors/", include("abwab.public.urls")),
    path("messages/", include("abwab.messaging.urls")),
    path("dashboard/", include("abwab.reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
