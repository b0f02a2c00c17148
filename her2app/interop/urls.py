from django.urls import path

from her2app.interop import views

app_name = "interop"
urlpatterns = [
    path("cases/<int:pk>/bundle.json", views.case_bundle, name="case_bundle"),
    path("import/", views.import_bundle, name="import_bundle"),
]
