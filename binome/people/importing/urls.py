from django.urls import path

from binome.people.importing import views

app_name = "importing"
urlpatterns = [
    path("programmes/<int:programme_id>/import/", views.upload, name="upload"),
    path("programmes/<int:programme_id>/import/check/", views.preview, name="preview"),
    path("programmes/<int:programme_id>/import/confirm/", views.confirm, name="confirm"),
    path("programmes/<int:programme_id>/import/done/", views.result, name="result"),
]
