from django.urls import path

from her2app.administration import views

app_name = "administration"
urlpatterns = [
    path("plans/<int:plan_pk>/", views.plan_page, name="plan"),
    path("plans/<int:plan_pk>/reduce/", views.reduce_page, name="reduce"),
    path("plans/<int:plan_pk>/<slug:drug>/<int:cycle>/<int:day>/", views.record_page, name="record"),
    path("plans/<int:plan_pk>/<slug:drug>/<int:cycle>/<int:day>/reload/", views.confirm_reload_view,
         name="confirm_reload"),
    path("plans/<int:plan_pk>/<slug:drug>/<int:cycle>/supply/", views.supply_page, name="supply"),
]
