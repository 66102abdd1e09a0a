"""Duo views, one module per part of a duo's life; each exports its urlpatterns."""
