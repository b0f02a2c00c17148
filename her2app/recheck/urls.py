from django.urls import path

from her2app.recheck import views

app_name = "recheck"
urlpatterns = [path("", views.recheck_list, name="list")]
