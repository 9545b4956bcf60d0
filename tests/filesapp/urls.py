from django.urls import include, path

from tests.filesapp.views import DocumentDownloadView

urlpatterns = [
    path("documents/<int:pk>/download/", DocumentDownloadView.as_view(), name="document_download"),
    path("", include("config.urls")),
]
