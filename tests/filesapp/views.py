from files.views import ProtectedFileView
from tests.filesapp.models import Document


class DocumentDownloadView(ProtectedFileView):
    def get_queryset(self):
        return Document.objects.filter(owner=self.request.user)
