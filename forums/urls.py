from django.urls import path

from . import views

app_name = "forums"

urlpatterns = [
    path("", views.forum_list, name="forum-list"),
    path("new/", views.forum_create, name="forum-create"),
    # Records with their own number.
    path("rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("rounds/<int:pk>/nominate/", views.round_nominate, name="round-nominate"),
    path("rounds/<int:pk>/vote/", views.round_vote, name="round-vote"),
    path("rounds/<int:pk>/results/", views.round_results, name="round-results"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/minutes-file/", views.meeting_minutes_file, name="minutes-file"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting-attendance"),
    path("meetings/<int:pk>/decisions/", views.meeting_decision_add, name="meeting-decision-add"),
    path(
        "meetings/<int:pk>/action-items/",
        views.meeting_action_item_add,
        name="meeting-action-item-add",
    ),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting-minutes"),
    path("meetings/<int:pk>/motions/", views.meeting_motion, name="meeting-motion"),
    path("meetings/<int:pk>/agenda/", views.meeting_agenda, name="meeting-agenda"),
    path("meetings/<int:pk>/cosign/", views.meeting_cosign, name="meeting-cosign"),
    path("groups/<int:pk>/", views.group_detail, name="group-detail"),
    path("groups/<int:pk>/members/", views.group_member_add, name="group-member-add"),
    path("groups/<int:pk>/apply/", views.group_apply, name="group-apply"),
    path("groups/<int:pk>/drafts/new/", views.group_draft_create, name="group-draft-create"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application-decide"),
    path("drafts/<int:pk>/", views.draft_detail, name="group-draft-detail"),
    path("drafts/<int:pk>/comment/", views.draft_comment, name="group-draft-comment"),
    path("draft-comments/<int:pk>/hide/", views.draft_comment_hide, name="draft-comment-hide"),
    path("threads/<int:pk>/", views.thread_detail, name="thread-detail"),
    path("threads/<int:pk>/reply/", views.thread_reply, name="thread-reply"),
    path("threads/<int:pk>/visibility/", views.thread_visibility, name="thread-visibility"),
    # A member's forum, by the member's short name (its repository and compliance panel:
    # records/urls.py, mounted at the same /forums/ prefix).
    path("<slug:slug>/", views.forum_detail, name="forum-detail"),
    path("<slug:slug>/edit/", views.forum_update, name="forum-update"),
    path("<slug:slug>/seats/add/", views.seat_create, name="seat-create"),
    path("<slug:slug>/governance/", views.forum_governance, name="forum-governance"),
    path(
        "<slug:slug>/secretariat/add/",
        views.secretariat_member_create,
        name="secretariat-member-create",
    ),
    path(
        "<slug:slug>/secretariat/<int:pk>/remove/",
        views.secretariat_member_remove,
        name="secretariat-member-remove",
    ),
    path("<slug:slug>/decisions/", views.decision_list, name="decision-list"),
    path("<slug:slug>/rounds/new/", views.round_create, name="round-create"),
    path("<slug:slug>/meetings/", views.meeting_list, name="meeting-list"),
    path("<slug:slug>/meetings/new/", views.meeting_create, name="meeting-create"),
    path("<slug:slug>/groups/new/", views.group_create, name="group-create"),
    path("<slug:slug>/threads/", views.thread_list, name="thread-list"),
    path("<slug:slug>/threads/new/", views.thread_create, name="thread-create"),
]
