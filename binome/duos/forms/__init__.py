"""Duo forms, one module per part of a duo's life: they check the shape of input only."""
