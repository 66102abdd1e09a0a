from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from binome.core import access


@login_required
def my_space(request: HttpRequest) -> HttpResponse:
    participant = access.own_participant(request.user)
    return render(request, "people/my_space.html", {"participant": participant})
