"""A minimal owner-and-file model, standing in for the product's upload models in tests of
the shared file machinery."""

from django.conf import settings
from django.db import models

from files.validators import UploadValidator


class Document(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    file = models.FileField(upload_to="documents/%Y/%m/", validators=[UploadValidator()])

    def __str__(self):
        return self.file.name
