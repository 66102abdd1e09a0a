"""What the community tests share: an activity of the cast's programme, English URLs."""

import datetime

from django.urls import reverse
from django.utils import timezone, translation

from binome.community import services
from binome.community.models import Activity, Audience


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def data(cast, **changes) -> services.ActivityData:
    starts = timezone.now() + datetime.timedelta(days=7)
    values = {
        "kind": Activity.Kind.ICE_BREAKER,
        "title": "Pique-nique brise-glace",
        "description": "Au parc Borély",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "address": "Parc Borély, Marseille",
        "accessibility": "Accessible en fauteuil",
        "video_link": "",
        "capacity": None,
        "audience": Audience.BOTH,
        "statuses": [],
        "counts_as_training": False,
        "programmes": [cast.programme],
        "translations": {"title": {"ar": "نزهة للتعارف"}},
    }
    values.update(changes)
    return services.ActivityData(**values)


def plan(cast, **changes) -> Activity:
    return services.activity_create(
        actor=cast.carla, organisation=cast.org_a, data=data(cast, **changes)
    )


def form_post(activity_or_none=None, **changes) -> dict:
    starts = timezone.localtime() + datetime.timedelta(days=7)
    values = {
        "programmes": [],
        "kind": "ice_breaker",
        "title": "Pique-nique",
        "description": "",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "address": "Parc Borély",
        "accessibility": "",
        "video_link": "",
        "capacity": "",
        "audience": "both",
        "version": activity_or_none.version if activity_or_none else "",
    }
    values.update(changes)
    return values
