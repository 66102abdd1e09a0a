"""Demo group activities: the events around the duos that the seed programmes describe."""

import datetime

from django.utils import timezone

from binome.accounts.models import User
from binome.community import services
from binome.community.models import Activity, Audience
from binome.programmes.models import Programme

# (programme slug, kind, days from today, hour, hours long, title, description, place, video,
#  capacity, audience, counts as training, Arabic / English / Ukrainian titles)
ACTIVITIES = [
    (
        "mentorat-interculturel",
        Activity.Kind.ICE_BREAKER,
        9,
        14,
        3,
        "Pique-nique brise-glace des binômes",
        "Jeux de présentation et pique-nique partagé : chacun apporte un plat de chez lui.",
        "Parc Borély, avenue du Prado, Marseille",
        "",
        40,
        Audience.BOTH,
        False,
        {
            "ar": "نزهة التعارف بين الثنائيات",
            "en": "Pairs' ice-breaker picnic",
            "uk": "Пікнік-знайомство пар",
        },
    ),
    (
        "mentorat-interculturel",
        Activity.Kind.ICE_BREAKER,
        23,
        10,
        5,
        "Sortie collective aux calanques",
        "Randonnée facile et baignade ; départ en bus depuis le Vieux-Port.",
        "Vieux-Port, quai de la Fraternité, Marseille",
        "",
        25,
        Audience.BOTH,
        False,
        {
            "ar": "رحلة جماعية إلى الكالانك",
            "en": "Group outing to the calanques",
            "uk": "Спільна прогулянка до каланків",
        },
    ),
    (
        "mentorat-professionnel-n2wa",
        Activity.Kind.THEMATIC,
        14,
        18,
        2,
        "Rencontre thématique du réseau : l'entretien d'embauche",
        "Des recruteurs partagent leurs conseils ; simulations d'entretien en petits groupes.",
        "C.A.I., salle du 1er étage",
        "",
        30,
        Audience.BOTH,
        False,
        {
            "ar": "لقاء موضوعي للشبكة: مقابلة العمل",
            "en": "Network thematic meeting: job interviews",
            "uk": "Тематична зустріч мережі: співбесіда",
        },
    ),
    (
        "mentorat-a-distance",
        Activity.Kind.PRACTICE_EXCHANGE,
        12,
        19,
        1.5,
        "Échange de pratiques entre mentors à distance",
        "Garder le lien en visio, gérer les silences, orienter vers les services locaux.",
        "",
        "https://visio.example.org/echange-mentors",
        None,
        Audience.MENTORS,
        True,
        {"en": "Remote mentors' practice exchange", "uk": "Обмін досвідом між менторами"},
    ),
    (
        # The buddies' peer session of the buddy-system method (M4M's step 7), after a month
        # together: what works, what is hard, who to turn to.
        "mentorat-interculturel",
        Activity.Kind.PEER_SESSION,
        30,
        18,
        2,
        "Séance entre pairs des binômes : un mois ensemble",
        "Ce qui marche, ce qui coince, à qui s'adresser : on en parle entre binômes.",
        "Maison des associations, 93 La Canebière, Marseille",
        "",
        20,
        Audience.BOTH,
        False,
        {
            "ar": "جلسة بين الأقران للثنائيات: شهر معًا",
            "en": "Buddies' peer session: a month together",
            "uk": "Зустріч пар між собою: місяць разом",
        },
    ),
]


def load_demo_community(programmes: dict[str, Programme], coordinators: dict[str, User]) -> int:
    """Plan the demo activities not planned yet (by title); return how many were planned."""
    planned = 0
    today = timezone.localdate()
    for (
        slug, kind, days, hour, hours, title, description, place, video, capacity, audience,
        training, translated,
    ) in ACTIVITIES:  # fmt: skip
        programme = programmes.get(slug)
        if programme is None or Activity.objects.filter(programmes=programme, title=title).exists():
            continue
        organisation = programme.organisation
        starts = timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(hour))
        )
        services.activity_create(
            actor=coordinators[organisation.slug],
            organisation=organisation,
            data=services.ActivityData(
                kind=kind,
                title=title,
                description=description,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=hours),
                address=place,
                accessibility="Accès de plain-pied." if place else "",
                video_link=video,
                capacity=capacity,
                audience=audience,
                statuses=[],
                counts_as_training=training,
                programmes=[programme],
                translations={"title": translated},
            ),
        )
        planned += 1
    return planned
