"""What a duo asks of people next: the agreement to sign, the next meeting; a coordinator's duos."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from binome.core.next_steps import AGREEMENT, MEETING, OTHER, NextStep
from binome.duos import access
from binome.duos.models import Alert, Duo, FollowUp, Meeting, Signature
from binome.programmes.access import programmes_for
from binome.programmes.models import Vocabulary
from binome.programmes.vocabularies import vocabulary_of
from binome.reference import cldr


def _open_own_duos(user: object) -> list[Duo]:
    duos = access.own_duos(user).filter(status__in=Duo.OPEN_STATUSES)
    return list(duos.prefetch_related("mentor__members", "mentee__members").order_by("pk"))


def duo_steps(user: object) -> list[NextStep]:
    """The agreement this person still has to sign and the next meeting of each open duo."""
    duos = _open_own_duos(user)
    if not duos:
        return []
    signed = set(
        Signature.objects.filter(agreement__duo__in=duos).values_list("agreement__duo_id", "party")
    )
    upcoming: dict[int, Meeting] = {}
    planned = Meeting.objects.filter(
        duo__in=duos, status=Meeting.Status.PLANNED, starts_at__gte=timezone.now()
    ).only("duo_id", "starts_at", "mode", "place")
    for meeting in planned.order_by("-starts_at", "-pk"):
        upcoming[meeting.duo_id] = meeting  # the earliest is written last
    steps = []
    for duo in duos:
        url = reverse("duos:detail", args=[duo.pk])
        unsigned = [side for side in access.duo_sides(user, duo) if (duo.pk, side) not in signed]
        if duo.status == Duo.Status.STARTING and unsigned:
            steps.append(
                NextStep(
                    order=AGREEMENT,
                    title=_("Your duo agreement is waiting for your signature"),
                    detail=_("Read what you agree on together, then sign it."),
                    url=reverse("duos:agreement", args=[duo.pk]),
                    action=_("Read and sign"),
                )
            )
        if duo.pk in upcoming:
            meeting = upcoming[duo.pk]
            when = timezone.localtime(meeting.starts_at)
            steps.append(
                NextStep(
                    order=MEETING,
                    title=_("Next meeting: %(date)s at %(time)s")
                    % {"date": cldr.format_date(when, "full"), "time": cldr.format_time(when)},
                    detail=vocabulary_of(duo.programme).text(
                        Vocabulary.MEETING_MODES, meeting.mode
                    ),
                    url=url,
                    action=_("See my duo"),
                )
            )
    return steps


def _todo(order: int, title: str, detail: str, url: str, row: dict) -> NextStep:
    return NextStep(
        order=order,
        title=title,
        detail=detail,
        url=url,
        action=_("See these duos"),
        count=row["count"],
        programme_id=row["programme_id"],
    )


def duo_todos(user: object) -> list[NextStep]:
    """Per programme: agreements not signed by all, duos with open alerts, follow-ups unanswered."""
    board = reverse("duos:board")
    open_alerts = Alert.objects.filter(duo=OuterRef("pk"), resolved_at__isnull=True)
    follow_ups = FollowUp.objects.filter(
        duo=OuterRef("pk"), due_on__lte=timezone.localdate(), answers__isnull=True
    )
    rows = (
        Duo.objects.filter(programme__in=programmes_for(user))
        .values("programme_id", "programme__name")
        .annotate(
            unsigned=Count("pk", filter=Q(status=Duo.Status.STARTING)),
            alerted=Count("pk", filter=Q(Exists(open_alerts), status__in=Duo.OPEN_STATUSES)),
            follow_ups=Count("pk", filter=Q(Exists(follow_ups))),
        )
        .order_by("programme__name", "programme_id")
    )
    todos = []
    for row in rows:
        name, programme = row["programme__name"], f"{board}?programme={row['programme_id']}"
        if count := row["unsigned"]:
            title = ngettext(
                "%(count)d agreement not yet signed by all",
                "%(count)d agreements not yet signed by all",
                count,
            ) % {"count": count}
            url = f"{programme}&status={Duo.Status.STARTING}"
            todos.append(_todo(AGREEMENT, title, name, url, {**row, "count": count}))
        if count := row["alerted"]:
            title = ngettext(
                "%(count)d duo needs attention", "%(count)d duos need attention", count
            ) % {"count": count}
            todos.append(
                _todo(MEETING, title, name, f"{programme}&alerts=on", {**row, "count": count})
            )
        if count := row["follow_ups"]:
            title = ngettext(
                "%(count)d follow-up due without an answer",
                "%(count)d follow-ups due without an answer",
                count,
            ) % {"count": count}
            url = f"{programme}&status=all&follow_up=due"
            todos.append(_todo(OTHER, title, name, url, {**row, "count": count}))
    return todos
