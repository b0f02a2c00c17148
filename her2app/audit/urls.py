from django.urls import path

from her2app.audit import views

app_name = "audit"
urlpatterns = [
    path("<int:pk>/history/", views.case_history, name="case_history"),
]
