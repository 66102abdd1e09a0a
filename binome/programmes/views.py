from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from binome.core import access
from binome.programmes.models import Programme


def directory(request: HttpRequest) -> HttpResponse:
    programmes = Programme.objects.filter(listed=True).select_related("organisation")
    return render(request, "programmes/directory.html", {"programmes": programmes})


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = access.programmes_for(request.user, roles=access.FIGURES_ROLES)
    return render(request, "programmes/list.html", {"programmes": programmes})
