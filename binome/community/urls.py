from django.urls import path

from binome.community import views

app_name = "community"
urlpatterns = [
    path("activities/", views.activity_list, name="list"),
    path("activities/new/", views.activity_new, name="new"),
    path("activities/<int:activity_id>/", views.activity_detail, name="detail"),
    path("activities/<int:activity_id>/edit/", views.activity_edit, name="edit"),
    path("activities/<int:activity_id>/attendance/", views.activity_attendance, name="attendance"),
    path("activities/<int:activity_id>/cancel/", views.activity_cancel, name="cancel"),
    path("me/activities/", views.my_activities, name="mine"),
    path("me/activities/<int:invitation_id>/", views.invitation, name="invitation"),
    path("me/activities/<int:invitation_id>/activity.ics", views.activity_file, name="file"),
    path("me/calendar/", views.my_calendar, name="my_calendar"),
    path("activities/answer/<str:token>/", views.answer_link, name="answer_link"),
    path("programmes/<int:programme_id>/calendar/", views.programme_calendar, name="calendar"),
    path("calendar/new-address/", views.feed_new, name="feed_new"),
    path("calendar/addresses/<int:feed_id>/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("announcements/", views.announcement_list, name="announcements"),
    path("announcements/<int:announcement_id>/", views.announcement, name="announcement"),
]
