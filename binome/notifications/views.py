from collections.abc import Sequence

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from binome.accounts.http import AuthenticatedHttpRequest
from binome.accounts.models import User
from binome.accounts.roles import STAFF_ROLES, roles_by_organisation
from binome.notifications import services
from binome.notifications.forms import PreferencesForm
from binome.notifications.models import STAFF_KINDS, Kind, OptOut
from binome.people.models import Participant


def _my_participants(user: User) -> list[Participant]:
    """The participant records a user speaks for: their own, and the teams they represent."""
    mine = Q(user=user)
    if user.email:
        mine |= Q(
            kind=Participant.Kind.TEAM,
            members__is_representative=True,
            members__email__iexact=user.email,
        )
    found = list(Participant.objects.filter(mine).select_related("programme__organisation"))
    return list({participant.pk: participant for participant in found}.values())


@login_required
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A mentor's or mentee's e-mails, and a coordinator's or admin's own (agreements to sign)."""
    participants = _my_participants(request.user)
    staff = any(role in STAFF_ROLES for role in roles_by_organisation(request.user).values())
    if not participants and not staff:
        raise Http404
    owners: Sequence[Participant | User] = [*participants, request.user] if staff else participants
    kinds = list(Kind.values) if participants else list(STAFF_KINDS)
    refused = set(
        OptOut.objects.filter(Q(participant__in=participants) | Q(user=request.user))
        .filter(kind__in=kinds)
        .values_list("kind", flat=True)
    )
    initial = {"wanted": [kind for kind in kinds if kind not in refused]}
    # Not `request.POST or None`: unticking every box posts nothing, and that is an answer too.
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, initial=initial, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(
            owners=owners, kinds=kinds, wanted=form.cleaned_data["wanted"], actor=request.user
        )
        messages.success(request, _("Your e-mail preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# The signed token is the only credential here, and mail clients send the one-click unsubscribe
# (RFC 8058) as a bare POST without a CSRF cookie.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        (column, pk), kind = services.unsubscribe_read(token)
    except signing.BadSignature as error:
        raise Http404 from error
    owner: User | Participant | None
    if column == "user":
        owner = get_user_model().objects.filter(pk=pk, is_active=True).first()
    else:
        owner = Participant.objects.select_related("programme__organisation").filter(pk=pk).first()
    if owner is None:
        raise Http404
    done = request.method == "POST"
    if done:
        services.opt_out_add(owner=owner, kind=kind, actor=request.user)
    context = {"kind_label": Kind(kind).label, "done": done, "token": token}
    return render(request, "notifications/unsubscribe.html", context)
