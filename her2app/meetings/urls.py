from django.urls import include, path

from her2app.meetings import views

# What can be done to one item of a meeting's agenda.
agenda_item_urls = [
    path("move/", views.agenda_move, name="agenda_move"),
    path("remove/", views.agenda_remove, name="agenda_remove"),
    path("decision/", views.decision, name="decision"),
]

# What can be done to one meeting.
meeting_urls = [
    path("", views.meeting_detail, name="detail"),
    path("edit/", views.meeting_edit, name="edit"),
    path("agenda/add/", views.agenda_add, name="agenda_add"),
    path("agenda/<int:item_pk>/", include(agenda_item_urls)),
    path("sign-off/", views.sign_off, name="sign_off"),
    path("agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("agenda/print/", views.agenda_print, name="agenda_print"),
]

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("<int:pk>/", include(meeting_urls)),
]
