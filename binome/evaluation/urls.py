from django.urls import path

from binome.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("evaluation/charts.css", views.chart_css, name="chart_css"),
    path("programmes/<int:programme_id>/evaluation/", views.page, name="page"),
    path("programmes/<int:programme_id>/evaluation/export/", views.export, name="export"),
    path(
        "programmes/<int:programme_id>/evaluation/funder.xlsx",
        views.funder_xlsx,
        name="funder_xlsx",
    ),
    path(
        "programmes/<int:programme_id>/evaluation/funder.pdf", views.funder_pdf, name="funder_pdf"
    ),
    path(
        "programmes/<int:programme_id>/evaluation/global.pdf", views.global_pdf, name="global_pdf"
    ),
    path(
        "programmes/<int:programme_id>/participants/<int:participant_id>/esf/<str:moment>/",
        views.esf,
        name="esf",
    ),
]
