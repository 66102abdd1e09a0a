"""Demo training and resources: the remote programme's mentor training path (seed 003), its soft
skills, and resources in four languages (French, English, Arabic, Ukrainian)."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF

from binome.accounts.models import User
from binome.people.models import Participant
from binome.programmes.models import Organisation, Programme
from binome.resources.models import Resource
from binome.resources.services import resource_create, resource_file_attach
from binome.training.models import ExternalTraining, Module, Skill
from binome.training.services import module_create, path_set, question_save, skill_add

REMOTE = "mentorat-a-distance"
INTERCULTURAL = "mentorat-interculturel"

MODULES: list[dict[str, Any]] = [
    {
        "title": "La posture du mentor à distance",
        "summary": "Écouter, encourager, connaître ses limites et passer le relais.",
        "body": (
            "## Un lien de confiance\n"
            "Le mentor écoute d'abord. Il ne remplace ni un travailleur social ni un "
            "enseignant : il accompagne.\n\n"
            "## Connaître ses limites\n"
            "- Ne pas porter tous les besoins de la personne\n"
            "- Orienter vers les services locaux quand il le faut\n"
            "- En parler à la coordinatrice en cas de doute\n"
        ),
        "duration_minutes": 25,
        "pass_mark": 100,
        "translations": {
            "title": {
                "en": "The remote mentor's stance",
                "ar": "موقف المرشد عن بُعد",
                "uk": "Позиція дистанційного наставника",
            },
            "summary": {"en": "Listen, encourage, know your limits and hand over."},
        },
        "questions": [
            (
                "Une personne vous parle d'un problème de logement urgent. Que faites-vous ?",
                "Je règle le problème moi-même\n*Je l'oriente vers le service compétent et "
                "j'en parle à la coordinatrice\nJe change de sujet",
            )
        ],
    },
    {
        "title": "Réussir une rencontre en visioconférence",
        "summary": "Préparer la connexion, choisir l'outil, rendre l'échange vivant.",
        "body": (
            "## Avant la rencontre\n"
            "- Tester le lien la veille\n"
            "- Prévoir un numéro de téléphone en secours\n\n"
            "## Pendant\n"
            "Parler lentement, vérifier que l'autre a compris, faire des pauses.\n"
            "Guide de l'outil : https://jitsi.org/user-faq/\n"
        ),
        "video_url": "https://www.youtube.com/watch?v=ZbZSe6N_BXs",
        "duration_minutes": 20,
        "translations": {
            "title": {
                "en": "A good video meeting",
                "ar": "لقاء ناجح عبر الفيديو",
                "uk": "Вдала відеозустріч",
            }
        },
    },
    {
        "title": "Travailler avec les acteurs du territoire",
        "summary": "Le mentorat complète les autres dispositifs : qui fait quoi autour du mentoré.",
        "body": (
            "## Les partenaires\n"
            "- France Services, CAF, Pôle emploi / France Travail\n"
            "- L'établissement scolaire et les associations locales\n\n"
            "Le mentorat ne remplace aucun de ces services : il aide à les connaître.\n"
        ),
        "duration_minutes": 15,
        "translations": {"title": {"en": "Working with local services"}},
    },
]

RESOURCES: list[dict[str, Any]] = [
    {
        "programme": REMOTE,
        "kind": Resource.Kind.GUIDE,
        "title": "Préparer sa première visio",
        "description": "Cinq conseils pour une première rencontre à distance réussie.",
        "body": (
            "## Avant\n- Vérifier la connexion\n- Choisir un endroit calme\n\n"
            "## Pendant\n- Se présenter simplement\n- Convenir du prochain rendez-vous\n"
        ),
        "themes": ["Outils numériques"],
        "for_mentors": True,
        "for_mentees": True,
        "translations": {
            "title": {
                "en": "Preparing your first video call",
                "ar": "التحضير لأول مكالمة فيديو",
                "uk": "Підготовка до першого відеодзвінка",
            },
            "description": {
                "en": "Five tips for a good first meeting at a distance.",
                "ar": "خمس نصائح للقاء أول ناجح عن بُعد.",
                "uk": "П'ять порад для вдалої першої зустрічі на відстані.",
            },
            "body": {
                "en": "## Before\n- Check the connection\n- Find a quiet place\n\n"
                "## During\n- Introduce yourself simply\n- Agree on the next meeting",
                "ar": "## قبل اللقاء\n- تحقق من الاتصال\n- اختر مكانًا هادئًا\n\n"
                "## أثناء اللقاء\n- قدّم نفسك ببساطة\n- اتفقا على الموعد القادم",
                "uk": "## Перед зустріччю\n- Перевірте з'єднання\n- Оберіть тихе місце\n\n"
                "## Під час зустрічі\n- Просто представтеся\n- Домовтеся про наступну зустріч",
            },
        },
    },
    {
        "programme": REMOTE,
        "kind": Resource.Kind.LINK,
        "title": "Trouver un espace France Services",
        "description": "Une aide gratuite pour les démarches administratives, près de chez soi.",
        "url": "https://www.france-services.gouv.fr/",
        "themes": ["Lien avec les services locaux"],
        "for_mentors": True,
        "for_mentees": True,
        "translations": {
            "title": {
                "en": "Find a France Services office",
                "ar": "ابحث عن مكتب فرانس سيرفيس",
                "uk": "Знайти офіс France Services",
            }
        },
    },
    {
        "programme": REMOTE,
        "kind": Resource.Kind.DOCUMENT,
        "title": "Charte du mentor",
        "description": "Les engagements du mentor et de l'association.",
        "themes": ["Confiance en soi"],
        "for_mentors": True,
        "files": {
            "fr": "Charte du mentor",
            "en": "Mentor's charter",
            "uk": "Хартія наставника",
        },
        "translations": {
            "title": {"en": "Mentor's charter", "uk": "Хартія наставника"},
        },
    },
    {
        "programme": INTERCULTURAL,
        "kind": Resource.Kind.GUIDE,
        "title": "Se repérer à Marseille",
        "description": "Transports, santé, démarches : les adresses utiles.",
        "body": (
            "## Transports\nCarte solidaire RTM : https://www.rtm.fr/\n\n"
            "## Santé\n- PASS de l'hôpital\n"
        ),
        "for_mentors": True,
        "for_mentees": True,
        "translations": {
            "title": {
                "en": "Finding your way in Marseille",
                "ar": "التعرّف على مرسيليا",
                "uk": "Орієнтуватися в Марселі",
            },
            "description": {
                "en": "Transport, health, paperwork: useful addresses.",
                "ar": "النقل والصحة والإجراءات: عناوين مفيدة.",
                "uk": "Транспорт, здоров'я, документи: корисні адреси.",
            },
        },
    },
]

SKILLS = [
    ("Écoute active", {"en": "Active listening", "ar": "الإصغاء الفعّال", "uk": "Активне слухання"}),
    (
        "Communication interculturelle",
        {
            "en": "Intercultural communication",
            "ar": "التواصل بين الثقافات",
            "uk": "Міжкультурна комунікація",
        },
    ),
    ("Orientation et accompagnement", {"en": "Guidance", "ar": "التوجيه", "uk": "Супровід"}),
]


def _pdf(title: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=16)
    pdf.cell(0, 10, title.encode("ascii", "replace").decode())
    return bytes(pdf.output())


def _resources(organisation: Organisation, programmes: dict[str, Programme]) -> None:
    for spec in RESOURCES:
        programme = programmes.get(spec["programme"])
        if programme is None or programme.organisation_id != organisation.pk:
            continue
        if Resource.objects.filter(organisation=organisation, title=spec["title"]).exists():
            continue
        data = {k: v for k, v in spec.items() if k not in {"programme", "files", "translations"}}
        resource = resource_create(
            organisation=organisation,
            actor=None,
            data={**data, "programme": programme},
            translations=spec["translations"],
        )
        for language, title in spec.get("files", {}).items():
            upload = SimpleUploadedFile(f"charte-{language}.pdf", _pdf(title))
            resource_file_attach(resource=resource, actor=None, language=language, upload=upload)


def load_demo_training(programmes: dict[str, Programme], coordinators: dict[str, User]) -> None:
    """Create the remote programme's training path and skills and the resources, once."""
    remote = programmes[REMOTE]
    organisation = remote.organisation
    if organisation.content_languages == ["fr", "en"]:
        organisation.content_languages = ["fr", "en", "ar", "uk"]
        organisation.save(update_fields=["content_languages"])
    for slug in (REMOTE, INTERCULTURAL):
        _resources(programmes[slug].organisation, programmes)
    if Module.objects.filter(organisation=organisation).exists():
        return
    actor = coordinators.get(organisation.slug)
    modules = []
    for spec in MODULES:
        data = {k: v for k, v in spec.items() if k not in {"translations", "questions"}}
        module = module_create(
            organisation=organisation,
            actor=actor,
            data=data,
            translations=spec["translations"],
        )
        for text, choices in spec.get("questions", []):
            question_save(module=module, actor=actor, text=text, choices=choices)
        modules.append(module)
    # The mentors already trained (before the path existed) keep their training, with a note.
    ExternalTraining.objects.bulk_create(
        ExternalTraining(
            participant=mentor,
            note="Formation initiale en visioconférence (session de rentrée)",
            hours=3,
            recorded_by=actor,
        )
        for mentor in Participant.objects.filter(
            programme=remote, role=Participant.Role.MENTOR, training_done=True
        )
    )
    path_set(programme=remote, role="mentor", modules=modules, sessions_required=0, actor=actor)
    for name, translated in SKILLS:
        if not Skill.objects.filter(programme=remote, name=name).exists():
            skill_add(programme=remote, actor=actor, name=name, translations={"name": translated})
