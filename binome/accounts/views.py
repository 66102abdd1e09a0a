from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from binome.accounts import roles


def home(request: HttpRequest) -> HttpResponse:
    """Send each visitor where they work: staff to their programmes, participants to their space."""
    user = request.user
    if not user.is_authenticated:
        return redirect("programmes:directory")
    if roles.roles_by_organisation(user):
        return redirect("programmes:list")
    if hasattr(user, "participant"):
        return redirect("people:my_space")
    return render(request, "accounts/no_role.html")
