from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from binome.core import access


def home(request: HttpRequest) -> HttpResponse:
    """Send each visitor where they work: staff to their programmes, participants to their space."""
    user = request.user
    if not user.is_authenticated:
        return redirect("programmes:directory")
    if access.roles_by_organisation(user):
        return redirect("programmes:list")
    if hasattr(user, "participant"):
        return redirect("people:my_space")
    return render(request, "core/no_role.html")


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
