"""Public applications: the forms, their service and the pages a visitor fills in."""
