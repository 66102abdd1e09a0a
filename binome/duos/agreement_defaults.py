"""The default mentoring agreement of each kind of programme, in French, English, Arabic, Ukrainian.

These are data, not translations: an organisation admin starts from them and edits them per
programme and language (AgreementTemplate). The text is plain: a line starting with "## " is a
heading, a line starting with "- " an item of a list, a blank line ends a paragraph. The $names are
filled per duo with string.Template (see binome.duos.services.agreement.PLACEHOLDERS).
"""

from binome.duos.agreement_translations import (
    CITY_TO_CITY_AR,
    CITY_TO_CITY_UK,
    INTERCULTURAL_AR,
    INTERCULTURAL_UK,
    PROFESSIONAL_AR,
    PROFESSIONAL_UK,
    REMOTE_AR,
    REMOTE_UK,
)

# Paragraphs are kept on one line each so that the texts read as they will be edited.
# ruff: noqa: E501

# Shared sections, written once per language and put together per kind below.

_FR_CONFIDENTIALITY = """## Confidentialité
Ce qui se dit dans le binôme reste dans le binôme. Chaque partie garde pour elle les informations personnelles qu'elle apprend de l'autre (situation administrative, famille, santé, parcours) et ne les transmet à personne sans son accord.

Une seule exception : si la sécurité d'une personne est en danger, la ou le chargé·e de projet en est informé·e."""

_EN_CONFIDENTIALITY = """## Confidentiality
What is said within the pair stays within the pair. Each party keeps to themselves the personal information they learn about the other (residence status, family, health, life story) and passes it on to no one without their consent.

There is one exception: if someone's safety is at risk, the project coordinator is told."""

_FR_DATA = """## Protection des données personnelles
$organisation traite les données nécessaires au mentorat, conformément au Règlement général sur la protection des données (RGPD) :
- ce qui est conservé : nom, coordonnées, langues, dates des rencontres et notes partagées, plan d'action, réponses aux questionnaires de suivi ;
- qui le voit : les deux parties voient ce qui est partagé dans le binôme ; seul·es les chargé·es de projet de $organisation voient l'ensemble du dossier et leurs propres notes ; les partenaires et financeurs ne reçoivent que des chiffres anonymes ;
- combien de temps : pendant le mentorat et son suivi, puis les données sont effacées ou rendues anonymes selon les durées de conservation de $organisation ;
- vos droits : accéder à vos données, les faire corriger ou effacer, en recevoir une copie, et retirer votre consentement à tout moment, sans conséquence sur l'aide que vous recevez par ailleurs. Pour cela, écrivez à $coordinator_contact. Vous pouvez aussi saisir l'autorité de protection des données de votre pays.

Les données ne sont jamais vendues ni transmises à d'autres organismes."""

_EN_DATA = """## Data protection
$organisation processes the data the mentoring needs, in line with the General Data Protection Regulation (GDPR):
- what is kept: name, contact details, languages, meeting dates and shared notes, the action plan, answers to the follow-up questionnaires;
- who sees it: both parties see what is shared within the pair; only the project coordinators of $organisation see the whole file and their own notes; partners and funders receive anonymous figures only;
- for how long: during the mentoring and its follow-up, after which the data is erased or made anonymous according to the retention periods of $organisation;
- your rights: to see your data, have it corrected or erased, receive a copy, and withdraw your consent at any time, with no effect on the help you receive elsewhere. To do so, write to $coordinator_contact. You may also complain to the data protection authority of your country.

The data is never sold nor passed on to other organisations."""

_FR_END = """## Fin du mentorat et contact
Chaque partie peut mettre fin au mentorat avant la date prévue, en prévenant la ou le chargé·e de projet, sans avoir à se justifier. À la fin, chacun·e est invité·e à donner son avis, et un court questionnaire de suivi est envoyé quelques mois plus tard.

Pour toute question ou difficulté : $coordinator, $organisation — $coordinator_contact."""

_EN_END = """## End of the mentoring and contact
Each party may end the mentoring before the planned date by telling the project coordinator, without having to give a reason. At the end, everyone is asked for their feedback, and a short follow-up questionnaire is sent a few months later.

For any question or difficulty: $coordinator, $organisation — $coordinator_contact."""

_FR_ORGANISATION = """## Engagements de $organisation
- Présenter le cadre du mentorat et former ou outiller les mentor·es.
- Suivre le binôme : répondre aux questions, faire le point régulièrement, intervenir en cas de difficulté.
- Proposer des rencontres collectives et des ressources.
- Protéger les données personnelles des participant·es."""

_EN_ORGANISATION = """## Commitments of $organisation
- Present the framework of the mentoring and train or equip the mentors.
- Follow the pair: answer questions, check in regularly, step in when there is a difficulty.
- Offer group events and resources.
- Protect the participants' personal data."""

_FR_PERIOD = """## Durée et rythme
Le mentorat commence le $start et se termine au plus tard le $end ($duration_months mois). Le binôme se rencontre environ $meetings_per_month fois par mois. Les dates des rencontres sont fixées ensemble ; en cas d'empêchement, on prévient l'autre au plus tôt."""

_EN_PERIOD = """## Period and rhythm
The mentoring starts on $start and ends on $end at the latest ($duration_months months). The pair meets about $meetings_per_month times a month. Meeting dates are agreed together; if one cannot come, they tell the other as early as possible."""


def _join(*sections: str) -> str:
    return "\n\n".join(section.strip() for section in sections) + "\n"


INTERCULTURAL_FR = _join(
    """Cette convention est conclue entre $mentor (mentor·e), $mentee (mentoré·e) et $organisation, représentée par $coordinator, dans le cadre du programme « $programme ».

## Objet
Le mentorat interculturel met en relation une personne installée ici et une personne nouvellement arrivée. C'est une relation bénévole, fondée sur la confiance, le respect mutuel et l'échange : chacun·e apprend de l'autre. Le mentorat ne remplace pas l'accompagnement social, juridique ou administratif ; il le complète.""",
    _FR_PERIOD,
    """## Engagements du ou de la mentor·e
- Être présent·e aux rencontres convenues et disponible pour écouter.
- Aider la personne mentorée à atteindre les objectifs qu'elle a choisis : langue, démarches, loisirs, réseau, emploi.
- Respecter ses choix, sa culture, ses convictions, et ne rien décider à sa place.
- Ne demander ni accepter aucune contrepartie, ni argent, ni service.
- Prévenir la ou le chargé·e de projet en cas de difficulté.

## Engagements de la personne mentorée
- Venir aux rencontres convenues ou prévenir en cas d'empêchement.
- Dire ce dont elle a besoin et participer à la construction du plan d'action.
- Respecter le temps bénévole du ou de la mentor·e.
- Prévenir la ou le chargé·e de projet en cas de difficulté.""",
    _FR_ORGANISATION,
    _FR_CONFIDENTIALITY,
    _FR_DATA,
    _FR_END,
)

INTERCULTURAL_EN = _join(
    """This agreement is made between $mentor (mentor), $mentee (mentee) and $organisation, represented by $coordinator, within the programme "$programme".

## Purpose
Intercultural mentoring brings together a person settled here and a newcomer. It is a voluntary relationship built on trust, mutual respect and exchange: each learns from the other. The mentoring does not replace social, legal or administrative support; it complements it.""",
    _EN_PERIOD,
    """## Commitments of the mentor
- Attend the agreed meetings and be available to listen.
- Help the mentee reach the goals they have chosen: language, paperwork, leisure, network, work.
- Respect the mentee's choices, culture and beliefs, and decide nothing in their place.
- Ask for and accept nothing in return, neither money nor favours.
- Tell the project coordinator about any difficulty.

## Commitments of the mentee
- Come to the agreed meetings or say so when unable to come.
- Say what they need and take part in building the action plan.
- Respect the mentor's volunteer time.
- Tell the project coordinator about any difficulty.""",
    _EN_ORGANISATION,
    _EN_CONFIDENTIALITY,
    _EN_DATA,
    _EN_END,
)

PROFESSIONAL_FR = _join(
    """Cette convention est conclue entre $mentor (mentor·e), $mentee (mentoré·e) et $organisation, représentée par $coordinator, dans le cadre du programme « $programme ».

## Objet
Le mentorat professionnel met en relation une personne qui cherche sa place dans le monde du travail et une personne expérimentée dans un métier ou un secteur. Il vise la connaissance du métier, la compréhension des codes et des attentes du secteur, et la création d'un réseau professionnel. Il ne remplace pas les services d'aide à l'emploi, il les complète, et il ne promet pas d'emploi.""",
    _FR_PERIOD,
    """## Méthode
Lors de la première rencontre, le binôme définit un plan d'action qui sert de cadre aux rencontres suivantes. Les échanges suivent la démarche interculturelle : comment c'était là-bas, comment c'est ici, comparaison, vérification, conclusion.

## Engagements du ou de la mentor·e
- Partager son expérience du métier et du secteur : codes du lieu de travail, compétences attendues, conditions de travail, diplômes et reconnaissances.
- Aider à construire un réseau professionnel, dans la limite de ce qui est possible et sans engager son employeur.
- Donner des retours honnêtes et bienveillants, sans décider à la place de la personne mentorée.
- Ne demander ni accepter aucune contrepartie.
- Prévenir la ou le chargé·e de projet en cas de difficulté.

## Engagements de la personne mentorée
- Venir aux rencontres convenues ou prévenir en cas d'empêchement.
- Être actrice de sa recherche : préparer les rencontres, réaliser les étapes du plan d'action.
- Respecter le temps et le réseau que le ou la mentor·e met à sa disposition.
- Prévenir la ou le chargé·e de projet en cas de difficulté.""",
    _FR_ORGANISATION,
    _FR_CONFIDENTIALITY,
    _FR_DATA,
    _FR_END,
)

PROFESSIONAL_EN = _join(
    """This agreement is made between $mentor (mentor), $mentee (mentee) and $organisation, represented by $coordinator, within the programme "$programme".

## Purpose
Professional mentoring brings together a person looking for their place in the world of work and a person experienced in a trade or sector. It aims at knowing the trade, understanding the codes and expectations of the sector, and building a professional network. It does not replace employment services, it complements them, and it does not promise a job.""",
    _EN_PERIOD,
    """## Method
At the first meeting, the pair sets an action plan that frames the following meetings. Discussions follow the intercultural method: how it was there, how it is here, comparison, verification, conclusion.

## Commitments of the mentor
- Share their experience of the trade and sector: workplace codes, expected skills, working conditions, diplomas and their recognition.
- Help build a professional network, as far as possible and without committing their employer.
- Give honest and kind feedback, without deciding in the mentee's place.
- Ask for and accept nothing in return.
- Tell the project coordinator about any difficulty.

## Commitments of the mentee
- Come to the agreed meetings or say so when unable to come.
- Lead their own search: prepare the meetings, carry out the steps of the action plan.
- Respect the time and the network the mentor makes available.
- Tell the project coordinator about any difficulty.""",
    _EN_ORGANISATION,
    _EN_CONFIDENTIALITY,
    _EN_DATA,
    _EN_END,
)

CITY_TO_CITY_FR = _join(
    """Cette convention est conclue entre l'équipe de la ville mentore, $mentor, l'équipe de la ville mentorée, $mentee, et $organisation, représentée par $coordinator, dans le cadre du programme « $programme ». Chaque équipe réunit la municipalité, des partenaires de la société civile et une association de municipalités ; elle signe par la personne qui la représente.

## Objet
Le mentorat entre villes soutient la ville mentorée dans l'amélioration d'une politique locale d'intégration, sur un thème défini ensemble, grâce à l'expérience de la ville mentore. Il va au-delà du transfert de « bonnes pratiques » : c'est une relation de confiance entre personnes et organisations, autour d'objectifs communs.

## Durée et rythme
Le mentorat commence le $start et se termine au plus tard le $end ($duration_months mois). Les équipes se réunissent environ $meetings_per_month fois par mois, à distance ou sur place.

## Étapes
- Analyse des besoins de la ville mentorée et analyse de l'expérience de la ville mentore.
- Définition précise du thème du mentorat et réflexion commune sur les éléments clés de la politique visée.
- Trois visites : deux dans la ville mentorée et une dans la ville mentore.
- Un plan d'action de la ville mentorée, puis la mise en œuvre de ses premières étapes.

## Engagements de l'équipe mentore
- Apporter un regard extérieur, écouter, encourager et poser des questions.
- Partager des idées et des pistes d'action, et faire des retours honnêtes et constructifs.
- Accueillir une visite et participer aux deux visites dans la ville mentorée.
- Ne pas donner d'avis juridique, ne pas décider à la place de la ville mentorée ni assumer la responsabilité de son projet : la ville mentore accompagne, elle ne pousse pas.

## Engagements de l'équipe mentorée
- Analyser ses besoins et mobiliser ses partenaires dès le début.
- Accueillir deux visites et se rendre à la visite dans la ville mentore.
- Rédiger son plan d'action et engager ses premières étapes.
- Informer $organisation de l'avancement et des difficultés.""",
    _FR_ORGANISATION,
    _FR_CONFIDENTIALITY,
    _FR_DATA,
    _FR_END,
)

CITY_TO_CITY_EN = _join(
    """This agreement is made between the mentor city team, $mentor, the mentee city team, $mentee, and $organisation, represented by $coordinator, within the programme "$programme". Each team brings together the municipality, civil society partners and an association of municipalities; it signs through the person who represents it.

## Purpose
City-to-city mentoring supports the mentee city in improving a local integration policy, on a theme defined together, with the experience of the mentor city. It goes beyond the transfer of "good practice": it is a relationship of trust between people and organisations, around shared goals.

## Period and rhythm
The mentoring starts on $start and ends on $end at the latest ($duration_months months). The teams meet about $meetings_per_month times a month, remotely or on site.

## Steps
- Needs analysis of the mentee city and experience analysis of the mentor city.
- A precise definition of the theme of the mentoring and a joint reflection on the key elements of the policy.
- Three visits: two in the mentee city and one in the mentor city.
- An action plan of the mentee city, then its first steps put into practice.

## Commitments of the mentor team
- Bring an outside view, listen, encourage and ask questions.
- Share ideas and possible actions, and give honest and constructive feedback.
- Host one visit and take part in the two visits to the mentee city.
- Give no legal advice, decide nothing in the mentee city's place and take no responsibility for its project: the mentor city accompanies, it does not push.

## Commitments of the mentee team
- Analyse its needs and involve its partners from the start.
- Host two visits and travel to the visit in the mentor city.
- Write its action plan and start its first steps.
- Keep $organisation informed of progress and difficulties.""",
    _EN_ORGANISATION,
    _EN_CONFIDENTIALITY,
    _EN_DATA,
    _EN_END,
)

REMOTE_FR = _join(
    """Cette convention est conclue entre $mentor (mentor·e), $mentee (mentoré·e) et $organisation, représentée par $coordinator, dans le cadre du programme « $programme ».

## Objet
Le mentorat à distance permet à une personne isolée ou éloignée d'être accompagnée par un·e mentor·e formé·e, par téléphone ou en visioconférence. Il complète l'action des autres services du territoire et ne les remplace pas.

## Durée et rythme
Le mentorat commence le $start et se termine au plus tard le $end ($duration_months mois). Le binôme se parle environ $meetings_per_month fois par mois, par appel vidéo ou téléphone, aux horaires convenus ensemble.

## Engagements du ou de la mentor·e
- Suivre la formation proposée et participer aux temps d'échange entre mentor·es.
- Être joignable aux horaires convenus et prévenir en cas d'empêchement.
- Utiliser les moyens de contact convenus (le lien vidéo du binôme, le téléphone) et ne jamais demander de document personnel, de code ou de coordonnées bancaires.
- Orienter vers les services compétents plutôt que tout prendre en charge.
- Prévenir la ou le chargé·e de projet en cas de difficulté.

## Engagements de la personne mentorée
- Être joignable aux horaires convenus ou prévenir en cas d'empêchement.
- Dire ce dont elle a besoin ; demander de l'aide pour utiliser les outils numériques si nécessaire.
- Respecter le temps bénévole du ou de la mentor·e.
- Prévenir la ou le chargé·e de projet en cas de difficulté.""",
    _FR_ORGANISATION,
    _FR_CONFIDENTIALITY,
    _FR_DATA,
    _FR_END,
)

REMOTE_EN = _join(
    """This agreement is made between $mentor (mentor), $mentee (mentee) and $organisation, represented by $coordinator, within the programme "$programme".

## Purpose
Remote mentoring lets a person who is isolated or far away be accompanied by a trained mentor, by phone or video call. It complements the work of the other local services and does not replace them.

## Period and rhythm
The mentoring starts on $start and ends on $end at the latest ($duration_months months). The pair talks about $meetings_per_month times a month, by video or phone call, at times agreed together.

## Commitments of the mentor
- Follow the training offered and take part in the exchange sessions between mentors.
- Be reachable at the agreed times and say so when unable to.
- Use the agreed means of contact (the pair's video link, the phone) and never ask for personal documents, codes or bank details.
- Refer to the competent services rather than take everything on.
- Tell the project coordinator about any difficulty.

## Commitments of the mentee
- Be reachable at the agreed times or say so when unable to.
- Say what they need; ask for help with the digital tools when needed.
- Respect the mentor's volunteer time.
- Tell the project coordinator about any difficulty.""",
    _EN_ORGANISATION,
    _EN_CONFIDENTIALITY,
    _EN_DATA,
    _EN_END,
)

# Binôme's own translations (binome.duos.agreement_translations): shown as "translation to be
# checked by the organisation" until an admin confirms them for a programme or saves her own text.
SHIPPED_TRANSLATIONS = frozenset({"ar", "uk"})

# {programme kind: {language: text}}; the keys are binome.programmes.models.Programme.Kind values.
DEFAULT_TEXTS: dict[str, dict[str, str]] = {
    "intercultural": {
        "fr": INTERCULTURAL_FR,
        "en": INTERCULTURAL_EN,
        "ar": INTERCULTURAL_AR,
        "uk": INTERCULTURAL_UK,
    },
    "professional": {
        "fr": PROFESSIONAL_FR,
        "en": PROFESSIONAL_EN,
        "ar": PROFESSIONAL_AR,
        "uk": PROFESSIONAL_UK,
    },
    "city_to_city": {
        "fr": CITY_TO_CITY_FR,
        "en": CITY_TO_CITY_EN,
        "ar": CITY_TO_CITY_AR,
        "uk": CITY_TO_CITY_UK,
    },
    "remote": {"fr": REMOTE_FR, "en": REMOTE_EN, "ar": REMOTE_AR, "uk": REMOTE_UK},
}


def default_text(kind: str, language: str) -> str | None:
    """Return the default text of this kind of programme in this language, if there is one."""
    return DEFAULT_TEXTS.get(kind, DEFAULT_TEXTS["intercultural"]).get(language)
