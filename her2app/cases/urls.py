from django.urls import path

from her2app.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("new/for-patient/<int:patient_pk>/", views.case_new_for_patient, name="new_for_patient"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/step/<slug:step>/", views.case_step, name="step"),
]
