"""The admin site, sent junk: every list and change page of every registered model answers
without a server error."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

JUNK_QUERIES = [
    {"q": "\x00"},
    {"q": "x" * 5000},
    {"o": "abc"},
    {"p": "99999999999999999999"},
    {"id__exact": "abc"},
    {"all": "", "e": "1"},
]
JUNK_IDS = ["abc", "99999999999999999999", "²"]


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda model: model._meta.label_lower
)
def test_list_and_change_pages_take_junk_without_an_error(admin_client, model):
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    for query in JUNK_QUERIES:
        assert admin_client.get(changelist, query).status_code < 500, query
    for junk in JUNK_IDS:
        assert admin_client.get(f"{changelist}{junk}/change/").status_code < 500, junk


def test_the_autocomplete_takes_junk_without_an_error(admin_client):
    for term in ["\x00", "x" * 5000, "abc"]:
        response = admin_client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "bip",
                "model_name": "planmembership",
                "field_name": "user",
                "term": term,
            },
        )
        assert response.status_code < 500
