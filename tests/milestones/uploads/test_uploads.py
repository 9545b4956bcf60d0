"""Progress uploads and follow-up actions: a participant sends them from their milestone
page, a reviewer accepts, sends back or validates them, and nobody else sees them."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import PostAction, ProgressUpload
from milestones.uploads import selectors, services
from milestones.uploads.forms import PostActionForm, ProgressUploadForm
from progress.completion import plan_progress
from tests.downloads import downloaded
from tests.factories import (
    MilestoneFactory,
    PlanMembershipFactory,
    UserFactory,
)
from tests.pages import UNFOLLOWABLE_NEXTS, controls, links, visible_text

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HERE = "/plans/participant-page/"


def pdf(name="progress.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def an_upload(milestone, participant, name="progress.pdf", **fields):
    return ProgressUpload.objects.create(
        milestone=milestone, participant=participant, file=ContentFile(PDF, name=name), **fields
    )


@pytest.fixture(autouse=True)
def milestone_asks_for_uploads(milestone):
    """The milestone under test takes a mandatory upload and a follow-up action."""
    milestone.upload_progress = "mandatory"
    milestone.post_action_required = True
    milestone.save()


def url(name, milestone, *more):
    return reverse(f"milestones:{name}", args=[milestone.plan_id, milestone.pk, *more])


def render_partial(template, context, user):
    request = RequestFactory().get(HERE)
    request.user = user
    return render_to_string(template, context, request=request)


def uploads_card(milestone, participant):
    """The participant's uploads card, as their milestone page shows it."""
    context = {
        "milestone": milestone,
        "uploads": selectors.participant_uploads(milestone, participant),
        "upload_form": ProgressUploadForm(),
    }
    return render_partial("milestones/_participant_uploads.html", context, participant)


def follow_up_card(milestone, participant):
    follow_up = selectors.participant_post_action(milestone, participant)
    context = {
        "milestone": milestone,
        "follow_up": follow_up,
        "post_action_form": PostActionForm(instance=follow_up.post_action),
    }
    return render_partial("milestones/_participant_post_action.html", context, participant)


def upload_requirement_met(milestone, participant) -> bool:
    cell = plan_progress(milestone.plan, participant=participant).cell_for(milestone)
    requirement = cell.requirement("upload")
    return requirement is None or requirement.met


# Sending an upload


def test_a_participant_uploads_a_file_with_a_note(participant_client, participant, milestone):
    response = participant_client.post(
        url("upload_create", milestone),
        {"file": pdf("week-1.pdf"), "note": "First draft of my plan.", "next": HERE},
    )
    assert response.status_code == 302
    assert response["Location"] == HERE
    upload = ProgressUpload.objects.get()
    assert (upload.participant, upload.milestone, upload.note, upload.status) == (
        participant,
        milestone,
        "First draft of my plan.",
        "submitted",
    )
    assert default_storage.exists(upload.file.name)
    content, _ = downloaded(
        participant_client,
        reverse("milestones:upload_download", args=[milestone.plan_id, upload.pk]),
    )
    assert content == PDF


@pytest.mark.parametrize("next_", UNFOLLOWABLE_NEXTS)
def test_an_unfollowable_next_address_falls_back_to_home_after_one_save(
    participant_client, participant, milestone, next_
):
    response = participant_client.post(
        url("upload_create", milestone), {"file": pdf(), "next": next_}
    )
    assert response["Location"] == reverse("home")
    assert ProgressUpload.objects.filter(participant=participant).count() == 1

    milestone.post_action_required = True
    milestone.save()
    response = participant_client.post(
        url("post_action_save", milestone), {"text": "Ran the stand-up", "next": next_}
    )
    assert response["Location"] == reverse("home")
    assert PostAction.objects.filter(participant=participant).count() == 1


def test_the_participant_partial_lists_uploads_newest_first_with_the_reviewers_comment(
    participant, milestone, project_admin
):
    an_upload(
        milestone,
        participant,
        "old.pdf",
        status="changes_requested",
        review_comment="Add the costs.",
        reviewed_by=project_admin,
    )
    an_upload(milestone, participant, "new.pdf")
    an_upload(milestone, UserFactory(), "someone-elses.pdf")

    mine = selectors.participant_uploads(milestone, participant)
    assert [u.filename for u in mine.uploads] == ["new.pdf", "old.pdf"]
    assert mine.allowed and mine.mandatory
    assert not upload_requirement_met(milestone, participant)

    html = uploads_card(milestone, participant)
    assert "Your progress uploads" in html
    assert "Add the costs." in html and "Changes requested" in html
    assert "someone-elses.pdf" not in html
    assert html.count(">Delete</button>") == 2
    assert f'value="{HERE}"' in html


def test_uploads_off_refuses_uploads_and_shows_nothing(participant_client, participant, plan):
    off = MilestoneFactory(plan=plan, upload_progress="off")
    response = participant_client.post(url("upload_create", off), {"file": pdf(), "next": HERE})
    assert response.status_code == 404
    assert not ProgressUpload.objects.exists()
    assert not selectors.participant_uploads(off, participant).allowed
    assert uploads_card(off, participant).strip() == ""
    assert upload_requirement_met(off, participant)


@pytest.mark.parametrize(
    "file, message",
    [
        (
            SimpleUploadedFile("tool.exe", b"MZ\x90\x00"),
            "is not a type of file that can be uploaded",
        ),
        (SimpleUploadedFile("plan.pdf", b"just text"), "are not a PDF file"),
        (SimpleUploadedFile("big.pdf", PDF + b"0" * 2048), "files can be at most 2.0"),
        (None, "This field is required."),
    ],
)
def test_a_bad_file_is_refused_next_to_the_field_and_the_note_is_kept(
    participant_client, milestone, settings, file, message
):
    settings.UPLOAD_MAX_BYTES = 2048
    data = {"note": "Typed with care", "next": HERE}
    if file:
        data["file"] = file
    response = participant_client.post(url("upload_create", milestone), data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["file"])
    assert "Typed with care</textarea>" in response.text
    assert milestone.name in response.text
    assert f'name="next" value="{HERE}"' in response.text
    assert not ProgressUpload.objects.exists()


# Deleting an upload


def test_a_participant_deletes_their_upload_before_it_is_accepted(
    participant_client, participant, milestone, django_capture_on_commit_callbacks
):
    upload = an_upload(milestone, participant)
    stored = upload.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = participant_client.post(
            url("upload_delete", milestone, upload.pk), {"next": HERE}
        )
    assert response["Location"] == HERE
    assert not ProgressUpload.objects.exists()
    assert not default_storage.exists(stored)


def test_an_accepted_upload_cannot_be_deleted(
    participant_client, participant, milestone, project_admin, django_capture_on_commit_callbacks
):
    upload = an_upload(milestone, participant)
    services.upload_accept(upload=upload, reviewer=project_admin)
    with django_capture_on_commit_callbacks(execute=True):
        participant_client.post(url("upload_delete", milestone, upload.pk), {"next": HERE})
    assert ProgressUpload.objects.filter(pk=upload.pk).exists()
    assert default_storage.exists(upload.file.name)
    assert ">Delete</button>" not in uploads_card(milestone, participant)


def test_another_participants_upload_is_neither_deleted_nor_downloaded(
    participant_client, plan, milestone
):
    someone = PlanMembershipFactory(plan=plan).user
    upload = an_upload(milestone, someone)
    assert participant_client.post(url("upload_delete", milestone, upload.pk)).status_code == 404
    download = reverse("milestones:upload_download", args=[plan.pk, upload.pk])
    assert participant_client.get(download).status_code == 404
    assert ProgressUpload.objects.filter(pk=upload.pk).exists()


# Reviewing


def test_accept_request_changes_and_a_new_version(
    project_admin_client, client, participant, project_admin, milestone
):
    first = an_upload(milestone, participant, "draft.pdf")
    assert not upload_requirement_met(milestone, participant)

    # A comment is required to send an upload back.
    response = project_admin_client.post(
        url("upload_request_changes", milestone, first.pk), {"comment": " "}
    )
    assert response.status_code == 200
    assert "Say what should change" in response.text
    first.refresh_from_db()
    assert first.status == "submitted"
    # The refused page's forms and links lead back to the review page it was sent from,
    # never to the address that only takes a POST.
    nexts = {control["value"] for control in controls(response, "next")}
    assert nexts == {url("uploads_review", milestone)}
    assert links(response)["Waiting for review"].startswith(url("uploads_review", milestone))

    response = project_admin_client.post(
        url("upload_request_changes", milestone, first.pk), {"comment": "Add the budget table."}
    )
    assert response["Location"] == url("uploads_review", milestone)
    first.refresh_from_db()
    assert (first.status, first.review_comment, first.reviewed_by) == (
        "changes_requested",
        "Add the budget table.",
        project_admin,
    )
    assert not upload_requirement_met(milestone, participant)

    # The participant reads the comment and sends a new version.
    client.force_login(participant)
    assert "Add the budget table." in uploads_card(milestone, participant)
    client.post(url("upload_create", milestone), {"file": pdf("final.pdf"), "next": HERE})
    second = ProgressUpload.objects.latest("pk")
    assert second.status == "submitted" and second.filename == "final.pdf"

    client.force_login(project_admin)
    client.post(url("upload_accept", milestone, second.pk))
    second.refresh_from_db()
    assert (second.status, second.reviewed_by) == ("accepted", project_admin)
    assert upload_requirement_met(milestone, participant)

    # A reviewed upload is not reviewed again.
    client.post(url("upload_request_changes", milestone, second.pk), {"comment": "Hmm"})
    second.refresh_from_db()
    assert second.status == "accepted"


def test_an_optional_upload_is_no_requirement(participant, plan):
    optional = MilestoneFactory(plan=plan, upload_progress="optional")
    assert upload_requirement_met(optional, participant)


def test_the_review_page_groups_uploads_by_participant(project_admin_client, plan, milestone):
    ada = PlanMembershipFactory(plan=plan, user__display_name="Ada").user
    bo = PlanMembershipFactory(plan=plan, user__display_name="Bo").user
    an_upload(milestone, bo, "bo.pdf", note="Bo's note")
    an_upload(milestone, ada, "ada-1.pdf")
    an_upload(milestone, ada, "ada-2.pdf")
    PostAction.objects.create(milestone=milestone, participant=ada, text="Run a kaizen event.")

    response = project_admin_client.get(url("uploads_review", milestone))
    groups = response.context["groups"]
    assert [g.participant for g in groups] == [ada, bo]
    assert [item.upload.filename for item in groups[0].items] == ["ada-2.pdf", "ada-1.pdf"]
    assert "Bo&#x27;s note" in response.text
    assert "Run a kaizen event." in response.text
    assert response.text.count(">Accept</button>") == 3
    assert links(response)["Uploads"] == url("uploads_review", milestone)


# Follow-up actions


def test_a_follow_up_action_is_created_edited_then_frozen_once_validated(
    participant_client,
    participant,
    project_admin,
    client,
    milestone,
    django_capture_on_commit_callbacks,
):
    follow_up = selectors.participant_post_action(milestone, participant)
    assert follow_up.post_action is None and follow_up.editable
    assert "Your follow-up action" in follow_up_card(milestone, participant)

    save = url("post_action_save", milestone)
    response = participant_client.post(
        save, {"text": "Map our intake process.", "file": pdf("map.pdf"), "next": HERE}
    )
    assert response["Location"] == HERE
    action = PostAction.objects.get()
    first_file = action.file.name
    assert action.text == "Map our intake process."

    with django_capture_on_commit_callbacks(execute=True):
        participant_client.post(
            save, {"text": "Map intake and dispatch.", "file": pdf("map-2.pdf"), "next": HERE}
        )
    action.refresh_from_db()
    assert action.text == "Map intake and dispatch."
    assert action.file.name != first_file and not default_storage.exists(first_file)
    assert PostAction.objects.count() == 1

    # An empty text keeps what was typed on the correction page and saves nothing.
    response = participant_client.post(save, {"text": "", "next": HERE})
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    action.refresh_from_db()
    assert action.text == "Map intake and dispatch."

    services.post_action_validate(post_action=action, validator=project_admin)
    participant_client.post(save, {"text": "Changed after the fact", "next": HERE})
    action.refresh_from_db()
    assert action.text == "Map intake and dispatch."

    assert not selectors.participant_post_action(milestone, participant).editable
    html = follow_up_card(milestone, participant)
    assert f"Validated by {project_admin}" in html
    assert "Save changes" not in visible_text(html)


def test_a_follow_up_action_is_refused_where_none_is_required(
    participant_client, participant, plan
):
    none_needed = MilestoneFactory(plan=plan, post_action_required=False)
    response = participant_client.post(url("post_action_save", none_needed), {"text": "Hello"})
    assert response.status_code == 404
    assert not PostAction.objects.exists()
    assert follow_up_card(none_needed, participant).strip() == ""


def test_a_reviewer_validates_a_follow_up_action(
    project_admin_client, participant, project_admin, milestone
):
    action = PostAction.objects.create(milestone=milestone, participant=participant, text="Do it")
    response = project_admin_client.post(url("post_action_validate", milestone, action.pk))
    assert response["Location"] == url("uploads_review", milestone)
    action.refresh_from_db()
    assert action.validated_by == project_admin and action.validated_at is not None


# Who may do what


REVIEWERS = {"platform admin", "project admin", "assigned trainer"}
OWNER = {"participant"}
# Another participant of the plan sends uploads and actions of their own.
PARTICIPANTS = {"participant", "another participant"}
EVERYONE = [
    "platform admin",
    "project admin",
    "assigned trainer",
    "unassigned trainer",
    "participant",
    "another participant",
    "other plan's admin",
    "outsider",
]


def requests_for(milestone, participant):
    """(method, url, data, who gets in, the answer they get), built fresh for each person
    so that one person's change never hides another's refusal."""
    upload = an_upload(milestone, participant)
    other = an_upload(milestone, participant, "other.pdf")
    action = PostAction.objects.create(
        milestone=milestone,
        participant=participant,
        text="Plan",
        file=ContentFile(PDF, name="action.pdf"),
    )
    plan_pk = milestone.plan_id
    return [
        ("post", url("upload_create", milestone), {"file": pdf()}, PARTICIPANTS, 302),
        ("post", url("upload_delete", milestone, upload.pk), {}, OWNER, 302),
        ("post", url("post_action_save", milestone), {"text": "Better"}, PARTICIPANTS, 302),
        (
            "get",
            reverse("milestones:upload_download", args=[plan_pk, other.pk]),
            {},
            OWNER | REVIEWERS,
            200,
        ),
        (
            "get",
            reverse("milestones:post_action_download", args=[plan_pk, action.pk]),
            {},
            OWNER | REVIEWERS,
            200,
        ),
        ("get", url("uploads_review", milestone), {}, REVIEWERS, 200),
        ("post", url("upload_accept", milestone, other.pk), {}, REVIEWERS, 302),
        (
            "post",
            url("upload_request_changes", milestone, other.pk),
            {"comment": "More"},
            REVIEWERS,
            302,
        ),
        ("post", url("post_action_validate", milestone, action.pk), {}, REVIEWERS, 302),
    ]


@pytest.mark.parametrize("who", EVERYONE)
def test_permission_matrix(client, milestone, participant, people, who):
    client.force_login(people[who])
    for method, address, data, allowed, success in requests_for(milestone, participant):
        expected = success if who in allowed else 404
        response = getattr(client, method)(address, data)
        if expected == 200 and "download" in address and response.status_code == 302:
            # With S3 storage a download is a redirect to a short-lived signed URL.
            assert "X-Amz-Signature" in response["Location"], (who, address)
            continue
        assert response.status_code == expected, (who, method, address)
    if who not in PARTICIPANTS | REVIEWERS:
        # Refused people change nothing.
        assert ProgressUpload.objects.filter(status="submitted").count() == 2
        assert PostAction.objects.get().text == "Plan"
        assert not PostAction.objects.filter(validated_at__isnull=False).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, milestone, participant):
    for method, address, data, _, _ in requests_for(milestone, participant):
        response = getattr(client, method)(address, data)
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("account_login")), address


def test_a_trainer_reviews_without_the_management_tabs(client, plan, milestone, people):
    client.force_login(people["assigned trainer"])
    response = client.get(url("uploads_review", milestone))
    assert "Progress uploads" in response.text
    detail = reverse("milestones:detail", args=[plan.pk, milestone.pk])
    assert f'href="{detail}"' not in response.text


def test_review_actions_are_post_only(project_admin_client, participant, milestone):
    upload = an_upload(milestone, participant)
    assert project_admin_client.get(url("upload_accept", milestone, upload.pk)).status_code == 405
    upload.refresh_from_db()
    assert upload.status == "submitted"


# Query counts


def add_participants(plan, milestone, count):
    for n in range(count):
        person = PlanMembershipFactory(plan=plan).user
        an_upload(milestone, person, f"a{n}.pdf")
        an_upload(
            milestone,
            person,
            f"b{n}.pdf",
            status="changes_requested",
            review_comment="More",
            reviewed_by=UserFactory(),
        )
        PostAction.objects.create(
            milestone=milestone, participant=person, text="Act", validated_by=UserFactory()
        )


@pytest.mark.parametrize("who", ["project admin", "assigned trainer"])
def test_the_review_page_runs_a_fixed_number_of_queries(
    client, plan, milestone, people, who, django_assert_num_queries
):
    client.force_login(people[who])
    add_participants(plan, milestone, 1)
    with CaptureQueriesContext(connection) as baseline:
        assert client.get(url("uploads_review", milestone)).status_code == 200
    add_participants(plan, milestone, 10)
    with django_assert_num_queries(len(baseline)):
        response = client.get(url("uploads_review", milestone))
    assert len(response.context["groups"]) == 11


def test_the_participant_partials_run_a_fixed_number_of_queries(
    participant, project_admin, milestone, django_assert_num_queries
):
    for n in range(5):
        an_upload(
            milestone,
            participant,
            f"v{n}.pdf",
            status="changes_requested",
            reviewed_by=project_admin,
            review_comment="Again",
        )
    PostAction.objects.create(
        milestone=milestone,
        participant=participant,
        text="Act",
        validated_by=project_admin,
        validated_at=milestone.created_at,
    )
    with django_assert_num_queries(2):
        html = uploads_card(milestone, participant) + follow_up_card(milestone, participant)
    assert html.count("Again") == 5


def test_the_review_page_shows_a_page_of_participants_and_what_waits(
    project_admin_client, plan, milestone, monkeypatch
):
    from milestones.uploads import views

    monkeypatch.setattr(views, "REVIEW_PAGE_SIZE", 2)
    people = [
        PlanMembershipFactory(plan=plan, user__display_name=name).user
        for name in ("Ada", "Bo", "Cy")
    ]
    for person in people:
        an_upload(milestone, person, f"{person}.pdf")
    ProgressUpload.objects.filter(participant=people[1]).update(status="accepted")

    first = project_admin_client.get(url("uploads_review", milestone))
    assert [g.participant for g in first.context["groups"]] == people[:2]
    assert "Participants 1–2 of 3" in visible_text(first)

    waiting = project_admin_client.get(url("uploads_review", milestone) + "?show=waiting")
    assert [g.participant for g in waiting.context["groups"]] == [people[0], people[2]]

    # Accepting from the second page comes back to it.
    here = url("uploads_review", milestone) + "?page=2"
    upload = ProgressUpload.objects.get(participant=people[2])
    response = project_admin_client.post(url("upload_accept", milestone, upload.pk), {"next": here})
    assert response["Location"] == here


def test_a_follow_up_actions_form_names_its_attachment_and_links_the_checked_download(
    participant_client, participant, milestone
):
    action = PostAction.objects.create(
        milestone=milestone,
        participant=participant,
        text="Map our intake process.",
        file=ContentFile(PDF, name="intake-map.pdf"),
    )
    html = PostActionForm(instance=action).as_div()
    download = reverse("milestones:post_action_download", args=[milestone.plan_id, action.pk])
    assert f'<a href="{download}">{action.file.name.rsplit("/", 1)[-1]}</a>' in html
    assert action.file.name not in html
    assert downloaded(participant_client, download)[0].startswith(b"%PDF")
