import pytest
from django.template.loader import get_template

from notifications.kinds import Kind, UnknownKind, kind_get, kind_register, kinds_all
from notifications.services import notification_create, notifications_create_many

pytestmark = pytest.mark.django_db


def test_every_registered_kind_has_its_three_templates():
    for kind in kinds_all():
        for name in ["subject.txt", "body.txt", "body.html"]:
            get_template(f"emails/{kind.code}/{name}")


def test_the_apps_register_their_kinds_and_account_emails_cannot_be_unsubscribed():
    codes = {kind.code for kind in kinds_all()}
    assert {"password_reset", "plan_invitation", "plan_membership_added"} <= codes
    assert {"project_milestone_added", "project_milestone_overdue"} <= codes
    assert not kind_get("password_reset").unsubscribable
    assert not kind_get("plan_invitation").unsubscribable
    assert kind_get("project_milestone_added").unsubscribable


def test_an_unknown_kind_is_refused(user):
    with pytest.raises(UnknownKind, match="register it"):
        notification_create(recipient=user, kind="typo", context={}, idempotency_key="k")
    with pytest.raises(UnknownKind):
        notifications_create_many(recipients=[user], kind="typo", context={}, idempotency_key="k")


def test_registering_the_same_code_twice_with_another_meaning_fails():
    kind = kind_get("plan_membership_added")
    kind_register(kind)  # the same again is harmless (ready() may run twice in tests)
    with pytest.raises(ValueError, match="registered twice"):
        kind_register(Kind(code=kind.code, label="Other", description="", group="Other"))
