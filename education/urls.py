from django.contrib.sitemaps.views import sitemap
from django.urls import path

from education import views
from education.sitemaps import ArticleSitemap

app_name = "education"

urlpatterns = [
    path("", views.index, name="index"),
    path("cari/", views.search, name="search"),
    path("tanya-jawab/", views.faq, name="faq"),
    path("luring/", views.offline, name="offline"),
    path("sw.js", views.service_worker, name="service_worker"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"guides": ArticleSitemap}},
        name="sitemap",
    ),
    path("gambar/<slug:slug>-<int:width>.webp", views.guide_image, name="image"),
    path("topik/<slug:slug>/", views.topic, name="topic"),
    path("negara/<str:code>/", views.country, name="country"),
    path("daftar-periksa/<slug:slug>/", views.checklist, name="checklist"),
    path("<slug:slug>/", views.article, name="article"),
]
