# URL patterns of the meetings pages (names are used as "concertation:NAME").
# Each URL carries one id, of the object its first path segment names (instances, meetings, agenda-items,
# decisions, follow-ups), so the cross-organisation test can tell whose data each URL shows.
from django.urls import path

from concertation.views import meetings as views

urlpatterns = [
    path("instances/<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/history/", views.meeting_history, name="meeting_history"),
    path("meetings/<int:pk>/convene/", views.meeting_convene, name="meeting_convene"),
    path("meetings/<int:pk>/status/", views.meeting_set_status, name="meeting_set_status"),
    path("meetings/<int:pk>/approve-previous/", views.meeting_approve_previous, name="meeting_approve_previous"),
    path("meetings/<int:pk>/agenda/", views.agenda_item_add, name="agenda_item_add"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/decisions/new/", views.decision_add, name="decision_add"),
    path("meetings/<int:pk>/follow-ups/new/", views.follow_up_add, name="follow_up_add"),
    path("meetings/<int:pk>/follow-ups/status/", views.follow_up_status, name="follow_up_status"),
    path("meetings/<int:pk>/minutes.pdf", views.meeting_pdf, name="meeting_pdf"),
    path("meetings/<int:pk>/minutes.docx", views.meeting_docx, name="meeting_docx"),
    path("meetings/<int:pk>/invitation.ics", views.meeting_ics, name="meeting_ics"),
    path("agenda-items/<int:pk>/", views.agenda_item_edit, name="agenda_item_edit"),
    path("agenda-items/<int:pk>/move/", views.agenda_item_move, name="agenda_item_move"),
    path("agenda-items/<int:pk>/delete/", views.agenda_item_delete, name="agenda_item_delete"),
    path("decisions/<int:pk>/", views.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/delete/", views.decision_delete, name="decision_delete"),
    path("follow-ups/<int:pk>/", views.follow_up_edit, name="follow_up_edit"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/feed/", views.calendar_feed_issue, name="calendar_feed_issue"),
    path("calendar/feed/revoke/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
    # Anonymous on purpose: calendar apps subscribe without a session; the secret key is the access (404 if wrong).
    path("calendar/feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
