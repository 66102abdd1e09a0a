from django.urls import path

from binome.people import import_views

app_name = "importing"
urlpatterns = [
    path("programmes/<int:programme_id>/import/", import_views.upload, name="upload"),
    path("programmes/<int:programme_id>/import/check/", import_views.preview, name="preview"),
    path("programmes/<int:programme_id>/import/confirm/", import_views.confirm, name="confirm"),
    path("programmes/<int:programme_id>/import/done/", import_views.result, name="result"),
]
