"""The duo page: one address, two faces (the coordinator's page and the participant's "My duo")."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from binome.accounts.http import AuthenticatedHttpRequest
from binome.core import next_steps
from binome.duos import access, selectors
from binome.duos.models import Duo


@login_required
def detail(request: AuthenticatedHttpRequest, duo_id: int) -> HttpResponse:
    found = access.access_duo(request.user, duo_id, members=True)
    # Staff win over a side: a coordinator who is also a mentor still needs the full page.
    if found.staff:
        return render(request, "duos/detail.html", selectors.staff_page(found.duo))
    if found.member_of is not None:
        # A team member reads the team's duo; the representative acts for the team.
        context = selectors.party_page(found.duo, found.member_of)
        return render(request, "duos/team_member_duo.html", context)
    # access_duo lets through the organisation's staff, the duo's sides and team members only.
    assert found.side is not None
    context = selectors.party_page(found.duo, found.side)
    # The page's own card shows this duo's next meeting; the other steps come before and after it.
    steps = [
        step
        for step in next_steps.participant_steps(request.user)
        if step.order != next_steps.MEETING
    ]
    context["steps_before"] = [step for step in steps if step.order < next_steps.MEETING]
    context["steps_after"] = [step for step in steps if step.order > next_steps.MEETING]
    return render(request, "duos/my_duo.html", context)


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    duos = selectors.own_duo_list(request.user)
    open_duos = [duo for duo in duos if duo.status != Duo.Status.CLOSED]
    if len(open_duos) == 1:
        return redirect("duos:detail", open_duos[0].pk)
    if len(duos) == 1:
        return redirect("duos:detail", duos[0].pk)
    return render(request, "duos/my_duos.html", {"duos": duos})


urlpatterns = [
    path("duos/<int:duo_id>/", detail, name="detail"),
    path("me/duo/", mine, name="mine"),
]
