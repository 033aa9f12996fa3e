from django.urls import path

from abwab.meetings import public

app_name = "news"
urlpatterns = [
    path("", public.news_list, name="list"),
    path("feed.atom", public.NewsFeed(), name="feed"),
    path("<slug:slug>/", public.news_detail, name="detail"),
    path("<slug:slug>.pdf", public.news_pdf, name="pdf"),
]
