"""The supervision board: every duo a coordinator follows, with its health, on one screen."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.vary import vary_on_headers

from binome.accounts import roles
from binome.accounts.http import AuthenticatedHttpRequest
from binome.duos import selectors
from binome.duos.forms.supervision import BoardFilterForm
from binome.programmes import access as programmes_access

PAGE_SIZE = 100


@login_required
@vary_on_headers("HX-Request")
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    roles.require_role_somewhere(request.user, roles=roles.STAFF_ROLES)
    programmes = list(programmes_access.programmes_for(request.user).order_by("name", "pk"))
    form = BoardFilterForm(request.GET or None, programmes=programmes)
    filters = form.filters() if form.is_bound else {}
    rows = selectors.board_rows(request.user, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    partial = request.htmx and not request.htmx.history_restore_request
    template = "duos/board.html#table" if partial else "duos/board.html"
    context = {"form": form, "page": page, "programmes": programmes, "many": len(programmes) > 1}
    return render(request, template, context)


urlpatterns = [path("duos/", board, name="board")]
