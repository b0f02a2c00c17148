from django.urls import include, path

from her2app.plans import nurse, views

# What can be done to one plan, under the plan's own address.
plan_urls = [
    path("", views.detail, name="detail"),
    path("edit/", views.edit, name="edit"),
    path("approve/", views.approve, name="approve"),
    path("revise/", views.revise, name="revise"),
    path("cancel/", views.cancel, name="cancel"),
    path("render/", views.render_document, name="render"),
    path("resume/", views.resume, name="resume"),
    path("verify/", views.verify, name="verify"),
    path("return/", views.return_to_oncologist, name="return"),
]

app_name = "plans"
urlpatterns = [
    path("choose/<int:case_pk>/", views.choose, name="choose"),
    path("<int:pk>/", include(plan_urls)),
    path("verification/", views.verification_worklist, name="verification_worklist"),
    path("on-hold/", views.hold_worklist, name="hold_worklist"),
    path("documents/<int:pk>/", views.download, name="document"),
    path("nurse/", nurse.nurse_worklist, name="nurse_worklist"),
    path("nurse/<int:pk>/", nurse.nurse_plan, name="nurse_plan"),
]
