"""Pages of the community app: activities, answers, attendance, calendars, announcements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binome.accounts.http import AuthenticatedHttpRequest
from binome.accounts.roles import STAFF_ROLES, organisation_ids
from binome.community import access, calendar, selectors, services
from binome.community.forms import ActivityForm, AnnouncementForm
from binome.community.ics import activity_ics, feed_ics
from binome.community.models import CalendarFeed, Invitation
from binome.community.tokens import ANSWERS, read_answer_token
from binome.core.content import merge_translations
from binome.core.errors import EditConflict, Refused
from binome.core.forms import add_refusal, keep_input_after_conflict
from binome.core.params import whole_number
from binome.programmes.access import access_programme, programmes_for
from binome.programmes.models import Organisation

ACTIVITY_TEXTS = ("title", "description")


def _organisation(request: AuthenticatedHttpRequest) -> Organisation:
    """The organisation a new activity or announcement belongs to: the chosen programme's, else
    the first one the user coordinates."""
    programme_id = whole_number(request.GET.get("programme"))
    if programme_id is not None:
        return access_programme(request.user, programme_id).organisation
    ids = organisation_ids(request.user, STAFF_ROLES)
    if not ids:
        raise Http404
    return Organisation.objects.get(pk=min(ids))


def _data(form: ActivityForm, organisation: Organisation, stored: dict) -> services.ActivityData:
    data = form.cleaned_data
    return services.ActivityData(
        kind=data["kind"],
        title=data["title"],
        description=data["description"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        address=data["address"],
        accessibility=data["accessibility"],
        video_link=data["video_link"],
        capacity=data["capacity"],
        audience=data["audience"],
        statuses=list(data["statuses"]),
        counts_as_training=data["counts_as_training"],
        programmes=list(data["programmes"]),
        translations=merge_translations(
            stored,
            form.cleaned_translations(),
            fields=ACTIVITY_TEXTS,
            languages=organisation.content_languages,
        ),
    )


@login_required
def activity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not organisation_ids(request.user, STAFF_ROLES):
        raise Http404
    context = {
        "activities": selectors.activities_for_staff(request.user)[:200],
        "programmes": programmes_for(request.user).order_by("name"),
    }
    return render(request, "community/list.html", context)


@login_required
def activity_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    programmes = programmes_for(request.user).filter(organisation=organisation)
    initial = {"programmes": [p for p in programmes if str(p.pk) == request.GET.get("programme")]}
    form = ActivityForm(
        request.POST or None,
        programmes=programmes,
        languages=organisation.content_languages,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                actor=request.user, organisation=organisation, data=_data(form, organisation, {})
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Activity planned; the invitations are on their way."))
            return redirect("community:detail", activity.pk)
    return render(request, "community/form.html", {"form": form, "organisation": organisation})


@login_required
def activity_edit(request: AuthenticatedHttpRequest, activity_id: int) -> HttpResponse:
    activity = access.access_activity(request.user, activity_id)
    organisation = activity.organisation
    programmes = programmes_for(request.user).filter(organisation=organisation)
    initial = {
        **{
            name: getattr(activity, name)
            for name in ActivityForm.base_fields
            if name != "programmes"
        },
        "starts_at": translation_free_local(activity.starts_at),
        "ends_at": translation_free_local(activity.ends_at),
        "programmes": list(activity.programmes.all()),
    }
    form = ActivityForm(
        request.POST or None,
        programmes=programmes,
        languages=organisation.content_languages,
        initial=initial,
    )
    form.fields["title"].initial = activity.title
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                actor=request.user,
                activity=activity,
                version=form.cleaned_data["version"] or 0,
                data=_data(form, organisation, activity.translations),
            )
        except EditConflict as conflict:
            keep_input_after_conflict(form, conflict)
            add_refusal(form, conflict)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("community:detail", activity.pk)
    context = {"form": form, "organisation": organisation, "activity": activity}
    return render(request, "community/form.html", context)


def translation_free_local(value):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    return timezone.localtime(value)


@login_required
def activity_detail(request: AuthenticatedHttpRequest, activity_id: int) -> HttpResponse:
    activity = access.access_activity(request.user, activity_id)
    invitations = list(selectors.invitations_of(activity))
    phone_ids = set(
        selectors.without_email(activity.invitations.all()).values_list("pk", flat=True)
    )
    context = {
        "activity": activity,
        "programmes": activity.programmes.all(),
        "invitations": invitations,
        "to_phone": [i for i in invitations if i.pk in phone_ids and not i.answer],
        "coming": [i for i in invitations if i.coming],
        "waiting": sorted(
            (i for i in invitations if i.waiting_since), key=lambda i: i.waiting_since
        ),
        "answered": sum(1 for i in invitations if i.answer),
        "came": sum(1 for i in invitations if i.attended),
        "missing_languages": activity.missing_languages(activity.organisation.content_languages),
    }
    return render(request, "community/detail.html", context)


@login_required
def activity_attendance(request: AuthenticatedHttpRequest, activity_id: int) -> HttpResponse:
    """Who came, ticked on a phone: everyone invited, those who said yes first."""
    activity = access.access_activity(request.user, activity_id)
    if request.method == "POST":
        came = [pk for value in request.POST.getlist("came") if (pk := whole_number(value))]
        count = services.attendance_mark(actor=request.user, activity=activity, came=came)
        messages.success(request, _("Attendance saved: %(count)s people came.") % {"count": count})
        return redirect("community:detail", activity.pk)
    invitations = sorted(
        selectors.invitations_of(activity), key=lambda i: (not i.coming, i.answer != "maybe")
    )
    return render(
        request, "community/attendance.html", {"activity": activity, "invitations": invitations}
    )


@login_required
@require_POST
def activity_cancel(request: AuthenticatedHttpRequest, activity_id: int) -> HttpResponse:
    activity = access.access_activity(request.user, activity_id)
    services.activity_cancel(actor=request.user, activity=activity)
    messages.success(request, _("Activity cancelled."))
    return redirect("community:detail", activity.pk)


@login_required
def my_activities(request: AuthenticatedHttpRequest) -> HttpResponse:
    participant = access.own_participant(request.user)
    invitations = selectors.invitations_for_participant(participant)
    context = {
        "participant": participant,
        "invitations": invitations,
        "announcements": selectors.announcements_for_participant(participant)[:10],
    }
    return render(request, "community/mine.html", context)


def _answer(request: HttpRequest, invitation: Invitation, answer: str) -> str | None:
    """Record the answer; return the refusal's message if any."""
    user = request.user if request.user.is_authenticated else None
    try:
        services.invitation_answer(invitation=invitation, answer=answer, actor=user)  # type: ignore[arg-type]
    except Refused as refusal:
        return " ".join(refusal.messages)
    return None


@login_required
def invitation(request: AuthenticatedHttpRequest, invitation_id: int) -> HttpResponse:
    """A participant's invitation: the activity and three buttons, one tap each."""
    found = access.access_own_invitation(request.user, invitation_id)
    if request.method == "POST":
        answer = request.POST.get("answer", "")
        refusal = (
            _answer(request, found, answer) if answer in ANSWERS else _("Answer yes, no or maybe.")
        )
        if refusal:
            messages.error(request, refusal)
        else:
            messages.success(request, _("Thank you, your answer is saved."))
        return redirect("community:invitation", found.pk)
    return render(
        request, "community/invitation.html", {"invitation": found, "activity": found.activity}
    )


def answer_link(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mail's yes / no / maybe link: shown, then confirmed with one button.

    A bare GET changes nothing: mail scanners open every link of an e-mail, and would answer
    yes, no and maybe in turn.
    """
    read = read_answer_token(token)
    if read is None:
        return render(request, "community/answer_invalid.html", status=404)
    found, answer = read
    refusal = None
    done = False
    if request.method == "POST":
        refusal = _answer(request, found, answer)
        done = refusal is None
        found.refresh_from_db()
    context = {
        "invitation": found,
        "activity": found.activity,
        "answer": answer,
        "answer_label": Invitation.Answer(answer).label,
        "refusal": refusal,
        "done": done,
    }
    return render(request, "community/answer_link.html", context)


def _calendar_context(request: HttpRequest, activities, meetings, first) -> dict:  # type: ignore[no-untyped-def]
    weeks = calendar.month_weeks(first, activities, meetings)
    previous, following = calendar.neighbours(first)
    return {
        "weeks": weeks,
        "days": calendar.busy_days(weeks),
        "first": first,
        "previous": previous,
        "following": following,
        "view": "list" if request.GET.get("view") == "list" else "month",
    }


@login_required
def programme_calendar(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    programme = access_programme(request.user, programme_id)
    first = calendar.parse_month(request.GET.get("month"))
    start, end = calendar.month_bounds(first)
    context = _calendar_context(
        request,
        selectors.programme_activities(programme, start, end),
        selectors.programme_meetings(programme, start, end),
        first,
    )
    context.update(
        programme=programme,
        feed=CalendarFeed.objects.filter(programme=programme, revoked_at__isnull=True).first(),
    )
    return render(request, "community/calendar.html", context)


@login_required
def my_calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    participant = access.own_participant(request.user)
    first = calendar.parse_month(request.GET.get("month"))
    start, end = calendar.month_bounds(first)
    context = _calendar_context(
        request,
        selectors.participant_activities(participant, start, end),
        selectors.participant_meetings(participant, start, end),
        first,
    )
    context.update(
        participant=participant,
        feed=CalendarFeed.objects.filter(participant=participant, revoked_at__isnull=True).first(),
    )
    return render(request, "community/calendar.html", context)


@login_required
@require_POST
def feed_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new private calendar address (the previous one stops working)."""
    programme_id = whole_number(request.POST.get("programme"))
    if programme_id is not None:
        programme = access_programme(request.user, programme_id)
        services.feed_create(actor=request.user, programme=programme)
        messages.success(request, _("New calendar address made; the previous one no longer works."))
        return redirect("community:calendar", programme.pk)
    participant = access.own_participant(request.user)
    services.feed_create(actor=request.user, participant=participant)
    messages.success(request, _("New calendar address made; the previous one no longer works."))
    return redirect("community:my_calendar")


@login_required
@require_POST
def feed_revoke(request: AuthenticatedHttpRequest, feed_id: int) -> HttpResponse:
    feed = access.access_feed(request.user, feed_id)
    services.feed_revoke(actor=request.user, feed=feed)
    messages.success(request, _("The calendar address no longer works."))
    if feed.programme_id:
        return redirect("community:calendar", feed.programme_id)
    return redirect("community:my_calendar")


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The .ics feed behind a private address: no login, the token is the key."""
    found = (
        CalendarFeed.objects.select_related("participant__programme__organisation", "programme")
        .filter(token=token, revoked_at__isnull=True)
        .first()
        if 20 <= len(token) <= 64
        else None
    )
    if found is None:
        raise Http404
    from django.utils import timezone

    now = timezone.now()
    start, end = now - timezone.timedelta(days=92), now + timezone.timedelta(days=366)
    if found.participant is not None:
        language = found.participant.language
        name = found.participant.programme.name
        activities = selectors.participant_activities(found.participant, start, end)
        meetings = selectors.participant_meetings(found.participant, start, end)
    else:
        assert found.programme is not None
        language = found.programme.organisation.source_language
        name = found.programme.name
        activities = selectors.programme_activities(found.programme, start, end)
        meetings = selectors.programme_meetings(found.programme, start, end)
    body = feed_ics(name, activities, meetings, language)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
def activity_file(request: AuthenticatedHttpRequest, invitation_id: int) -> HttpResponse:
    found = access.access_own_invitation(request.user, invitation_id)
    language = translation.get_language() or "fr"
    response = HttpResponse(activity_ics(found.activity, language), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="activity.ics"'
    return response


@login_required
def announcement_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    programmes = programmes_for(request.user).filter(organisation=organisation)
    form = AnnouncementForm(
        request.POST or None, programmes=programmes, languages=organisation.content_languages
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            announcement = services.announcement_publish(
                actor=request.user,
                organisation=organisation,
                programmes=list(data["programmes"]),
                audience=data["audience"],
                title=data["title"],
                body=data["body"],
                translations=merge_translations(
                    {},
                    form.cleaned_translations(),
                    fields=("title", "body"),
                    languages=organisation.content_languages,
                ),
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Announcement published; the e-mails are on their way."))
            return redirect("community:announcement", announcement.pk)
    context = {
        "form": form,
        "organisation": organisation,
        "announcements": selectors.announcements_for_staff(request.user)[:50],
    }
    return render(request, "community/announcements.html", context)


@login_required
def announcement(request: AuthenticatedHttpRequest, announcement_id: int) -> HttpResponse:
    found = access.access_announcement(request.user, announcement_id)
    return render(request, "community/announcement.html", {"announcement": found})
