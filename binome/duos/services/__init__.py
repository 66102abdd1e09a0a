"""Writes on duos, one module per part of a duo's life (see STYLE.md, "Where logic lives")."""
