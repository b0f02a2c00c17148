from django.urls import path

from her2app.plans import nurse, views

app_name = "plans"
urlpatterns = [
    path("choose/<int:case_pk>/", views.choose, name="choose"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/revise/", views.revise, name="revise"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/render/", views.render_document, name="render"),
    path("<int:pk>/resume/", views.resume, name="resume"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/return/", views.return_to_oncologist, name="return"),
    path("verification/", views.verification_worklist, name="verification_worklist"),
    path("on-hold/", views.hold_worklist, name="hold_worklist"),
    path("documents/<int:pk>/", views.download, name="document"),
    path("nurse/", nurse.nurse_worklist, name="nurse_worklist"),
    path("nurse/<int:pk>/", nurse.nurse_plan, name="nurse_plan"),
]
