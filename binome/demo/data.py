"""The demo's organisations, programmes, staff and the vocabulary its fictional people are made of.

Texts come from the seeds (French and English) and stay in the organisations' own language: they
are data, not interface strings. Everything about a person is fictional.
"""

from typing import Any, Required, TypedDict

from binome.accounts.models import Membership
from binome.people.models import Consent, Participant
from binome.programmes.models import Programme

# --------------------------------------------------------------------------------------------
# Organisations, programmes and staff accounts
# --------------------------------------------------------------------------------------------

# Organisation's fields, keyed on the slug.
ORGANISATIONS: list[dict[str, Any]] = [
    {
        "slug": "hors-pistes",
        "name": "Hors Pistes",
        "city": "Marseille",
        "country": "FR",
        "contact_email": "contact@hors-pistes.example.org",
        "phone": "+33 4 91 00 00 01",
        "description": (
            "Association marseillaise qui fait se rencontrer des personnes migrantes arrivées à "
            "Marseille et des habitant·es de la ville : un mentorat interculturel, en binôme et "
            "en groupe, issu du projet européen MentorPower."
        ),
    },
    {
        "slug": "cai",
        "name": "C.A.I. – Centre d'Action Interculturelle",
        "city": "Bruxelles",
        "country": "BE",
        "contact_email": "mentorat@cai.example.org",
        "phone": "+32 81 00 00 02",
        "description": (
            "Centre d'intégration actif à Bruxelles et à Namur. Son projet N2WA met en lien des "
            "personnes demandeuses d'asile avec des travailleurs et travailleuses expérimentés "
            "et volontaires."
        ),
    },
    {
        "slug": "inclucities",
        "name": "Réseau IncluCities",
        "city": "Bruxelles",
        "country": "BE",
        "contact_email": "secretariat@inclucities.example.org",
        "phone": "+32 2 000 00 03",
        "description": (
            "Réseau européen de villes et d'associations de municipalités qui améliorent leurs "
            "politiques locales d'intégration par le mentorat de ville à ville."
        ),
    },
    {
        "slug": "lien-solidaire",
        "name": "Lien Solidaire",
        "city": "Toulouse",
        "country": "FR",
        "contact_email": "bonjour@lien-solidaire.example.org",
        "phone": "+33 5 61 00 00 04",
        "description": (
            "Association qui propose du mentorat à distance aux personnes isolées, en lien avec "
            "les acteurs éducatifs et sociaux de leur territoire."
        ),
    },
]

# Programme's fields, keyed on the slug, and the slug of the organisation that runs it.
PROGRAMMES: list[dict[str, Any]] = [
    {
        "organisation": "hors-pistes",
        "slug": "mentorat-interculturel",
        "name": "Mentorat interculturel",
        "kind": Programme.Kind.INTERCULTURAL,
        "mode": Programme.Mode.IN_PERSON,
        "city": "Marseille",
        "duration_months": 9,
        "meetings_per_month": 2,
        "default_mentor_capacity": 1,
        "languages": ["fr", "ar", "en", "prs", "ti", "uk", "es"],
        "needs": [
            "language",
            "social_network",
            "culture_leisure",
            "administration",
            "housing",
            "employment",
        ],
        "themes": [
            "Découvrir Marseille et ses quartiers",
            "Pratiquer le français au quotidien",
            "Démarches administratives",
            "Vie associative et citoyenne",
            "Rencontres collectives et brise-glace",
        ],
        "description": (
            "Un espace d'échange et de dialogue entre une personne ayant un parcours migratoire "
            "(mentee) et une personne « locale » (mentor). Ensemble, le binôme définit des "
            "besoins, se fixe des objectifs et construit un projet selon ses envies et ses "
            "compétences. À côté des binômes, des temps collectifs (brise-glace, sorties, "
            "rencontres thématiques) font du groupe une communauté d'entraide."
        ),
        "audience": (
            "Mentees : personnes migrantes arrivées récemment à Marseille, quel que soit leur "
            "statut. Mentors : toute personne qui vit à Marseille et veut s'engager comme "
            "citoyenne ou citoyen actif."
        ),
        "commitment": (
            "Deux rencontres par mois pendant neuf mois, et les temps collectifs du groupe "
            "(environ une fois par mois)."
        ),
        "applications_open": True,
        "listed": True,
    },
    {
        "organisation": "cai",
        "slug": "mentorat-professionnel-n2wa",
        "name": "Mentorat professionnel et interculturel (N2WA)",
        "kind": Programme.Kind.PROFESSIONAL,
        # Its signed agreement promises the intercultural method (there / here / comparison /
        # verification / conclusion): switched on though the programme is professional.
        "intercultural_method": True,
        "mode": Programme.Mode.HYBRID,
        "city": "Bruxelles",
        "duration_months": 6,
        "meetings_per_month": 2,
        "default_mentor_capacity": 1,
        "languages": ["fr", "nl", "en", "ar", "prs", "ps", "ti"],
        "needs": ["employment", "professional_network", "language"],
        "themes": [
            "Les codes et l'organisation d'un lieu de travail en Belgique",
            "Les compétences attendues pour un métier, un secteur, une entreprise",
            "Les représentations liées aux conditions de travail (salaire, horaire, charge)",
            "Les compétences, les diplômes et leur reconnaissance",
            "La présentation dans un cadre professionnel et le réseau professionnel",
        ],
        "description": (
            "Le mentorat met en lien une personne demandeuse d'asile (mentee) et un travailleur "
            "ou une travailleuse expérimenté·e et volontaire (mentor) : découvrir un métier, "
            "comprendre les codes du secteur recherché et se créer un réseau professionnel. "
            "Après un entretien avec chacun·e, le C.A.I. propose un duo ; la première rencontre "
            "valide une convention de mentorat et un plan d'action."
        ),
        "audience": (
            "Mentees : personnes demandeuses d'asile en Belgique qui cherchent un emploi. "
            "Mentors : personnes en emploi qui partagent leur expérience d'un métier."
        ),
        "commitment": "Six mois au plus, à raison de deux rencontres par mois.",
        "applications_open": True,
        "listed": True,
    },
    {
        "organisation": "inclucities",
        "slug": "mentorat-ville-a-ville",
        "name": "Mentorat de ville à ville",
        "kind": Programme.Kind.CITY_TO_CITY,
        "mode": Programme.Mode.HYBRID,
        "city": "Bruxelles",
        "duration_months": 18,
        "meetings_per_month": 1,
        "default_mentor_capacity": 1,
        "languages": ["en", "fr"],
        "needs": ["integration_policy"],
        "themes": [
            "Building a city for all",
            "Strategic assessment of migrant residents' needs, gender-sensitive approach",
            "Building inclusive cities with migrants",
            "Formal and informal language learning opportunities for migrants",
        ],
        "description": (
            "Des équipes « ville mentor » et « ville mentorée » (municipalité, société civile, "
            "association de municipalités) travaillent ensemble sur un secteur des politiques "
            "d'intégration : analyse des besoins de la ville mentorée, analyse d'expérience de "
            "la ville mentor, appariement, trois visites (deux dans la ville mentorée, une dans "
            "la ville mentor) et un plan d'action."
        ),
        "audience": (
            "Municipalités européennes, avec leurs partenaires de la société civile et leur "
            "association nationale ou régionale de municipalités."
        ),
        "commitment": (
            "Environ dix-huit mois : une réunion à distance par mois et trois visites d'étude."
        ),
        "applications_open": True,
        "listed": True,
    },
    {
        "organisation": "lien-solidaire",
        "slug": "mentorat-a-distance",
        "name": "Mentorat à distance",
        "kind": Programme.Kind.REMOTE,
        "mode": Programme.Mode.REMOTE,
        "city": "Toulouse",
        "duration_months": 10,
        "meetings_per_month": 4,
        "default_mentor_capacity": 2,
        "languages": ["fr", "en", "ar", "uk", "ru", "es"],
        "needs": ["language", "education", "employment", "administration", "social_network"],
        "themes": [
            "Orientation et formation",
            "Outils numériques",
            "Confiance en soi",
            "Lien avec les services locaux",
        ],
        "description": (
            "Un mentorat en visioconférence pour les personnes isolées, par exemple dans les "
            "zones rurales : un lien de confiance et d'écoute, pensé avec les acteurs éducatifs "
            "et sociaux du territoire. Les mentors sont formé·es et accompagné·es tout au long "
            "de leur engagement."
        ),
        "audience": (
            "Mentees : jeunes et adultes nouvellement arrivé·es, loin des dispositifs "
            "classiques. Mentors : bénévoles de toute la France, avec une connexion internet."
        ),
        "commitment": (
            "Au choix : une heure par semaine pendant l'année scolaire, ou un engagement léger "
            "de deux heures par an pour commencer."
        ),
        # The one closed programme: listed in the directory, applications closed.
        "applications_open": False,
        "listed": True,
    },
]

STAFF = [
    # (e-mail local part, full name, organisation slug, role, language)
    ("admin", "Nadia Benhamou", "hors-pistes", Membership.Role.ADMIN, "fr"),
    ("coordinator", "Claire Fabre", "hors-pistes", Membership.Role.COORDINATOR, "fr"),
    ("viewer", "Paul Mercier", "hors-pistes", Membership.Role.VIEWER, "fr"),
    ("coordinator.cai", "Stéphane Lambert", "cai", Membership.Role.COORDINATOR, "fr"),
    ("admin.cai", "Marie-Reine Dubois", "cai", Membership.Role.ADMIN, "fr"),
    (
        "coordinator.inclucities",
        "Richard Williams",
        "inclucities",
        Membership.Role.COORDINATOR,
        "en",
    ),
    ("coordinator.lien", "Laura Chupin", "lien-solidaire", Membership.Role.COORDINATOR, "fr"),
]

# --------------------------------------------------------------------------------------------
# Vocabulary for the generated people
# --------------------------------------------------------------------------------------------

# Where newcomers come from: (country, native languages, women's names, men's names, surnames).
ORIGINS = [
    ("SY", ["ar"], ["Rania", "Leila", "Nour", "Hiba", "Yasmin", "Salma"],
     ["Omar", "Khaled", "Ahmad", "Yousef", "Samer", "Bassel"],
     ["Haddad", "Al-Khatib", "Darwish", "Kassem", "Mansour", "Sabbagh"]),
    ("AF", ["prs"], ["Fatima", "Zahra", "Mariam", "Shabnam", "Parwana"],
     ["Farid", "Jawad", "Najib", "Sayed", "Hamid", "Mustafa"],
     ["Ahmadi", "Rahimi", "Hashimi", "Karimi", "Sultani", "Noori"]),
    ("AF", ["ps"], ["Malalai", "Palwasha", "Zarghona"],
     ["Rahmatullah", "Gul Agha", "Naqibullah", "Wahid"],
     ["Popal", "Stanikzai", "Yousafzai", "Achakzai"]),
    ("ER", ["ti"], ["Helen", "Selam", "Luwam", "Senait", "Winta"],
     ["Yonas", "Tesfay", "Filmon", "Merhawi", "Samuel"],
     ["Tesfamariam", "Gebremedhin", "Haile", "Berhane", "Kidane", "Tekle"]),
    ("UA", ["uk"], ["Olena", "Iryna", "Kateryna", "Oksana", "Yulia", "Nataliia"],
     ["Andriy", "Dmytro", "Oleksandr", "Serhiy", "Taras"],
     ["Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Melnyk", "Boyko"]),
    ("SO", ["so"], ["Hodan", "Ayaan", "Fadumo", "Sahra", "Ifrah"],
     ["Abdirahman", "Liban", "Abdi", "Mohamed"],
     ["Warsame", "Abdullahi", "Osman", "Jama", "Farah"]),
    ("SD", ["ar"], ["Amani", "Sara", "Rayan"], ["Osman", "Musa", "Adam", "Hassan"],
     ["Ibrahim", "Abdelrahman", "Elamin", "Babiker"]),
    ("IR", ["fa"], ["Shirin", "Maryam", "Parisa", "Nasrin"], ["Reza", "Arash", "Babak", "Kaveh"],
     ["Mohammadi", "Hosseini", "Rezaei", "Ghorbani"]),
    ("VE", ["es"], ["María José", "Daniela", "Valentina"], ["José Luis", "Andrés", "Carlos"],
     ["González", "Rodríguez", "Pérez", "Rojas"]),
    ("CO", ["es"], ["Luisa Fernanda", "Camila", "Paola"], ["Juan Pablo", "Sebastián", "Diego"],
     ["Gómez", "Restrepo", "Cárdenas", "Ospina"]),
    ("GN", ["ff", "fr"], ["Mariama", "Aissatou", "Fatoumata", "Kadiatou"],
     ["Mamadou", "Alpha", "Ibrahima", "Thierno"], ["Diallo", "Barry", "Bah", "Sow", "Baldé"]),
    ("CD", ["ln", "fr"], ["Grâce", "Chantal", "Nadège", "Esther"],
     ["Patrick", "Jean-Pierre", "Blaise", "Héritier"],
     ["Mukendi", "Kabongo", "Tshibangu", "Ilunga", "Mbuyi"]),
    ("TR", ["ku", "tr"], ["Rojda", "Berfin", "Zelal"], ["Serhat", "Baran", "Rênas"],
     ["Demir", "Aslan", "Yıldız", "Kaya"]),
    ("GE", ["ka", "ru"], ["Nino", "Tamar", "Ketevan"], ["Giorgi", "Levan", "Davit"],
     ["Beridze", "Kapanadze", "Gelashvili"]),
    ("RU", ["ru"], ["Aminat", "Zarema", "Madina"], ["Ruslan", "Islam", "Aslan"],
     ["Dudaev", "Tsokaev", "Umarov"]),
    ("AL", ["sq"], ["Elira", "Arta", "Blerta"], ["Arben", "Ermal", "Besnik"],
     ["Hoxha", "Krasniqi", "Gashi"]),
]  # fmt: skip

# How often each origin comes up (country-first language): the most frequent arrivals weigh more.
ORIGIN_WEIGHTS = {
    "SY-ar": 5, "AF-prs": 3, "AF-ps": 2, "ER-ti": 3, "UA-uk": 5, "SO-so": 2, "SD-ar": 2,
    "IR-fa": 1, "VE-es": 2, "CO-es": 1, "GN-ff": 2, "CD-ln": 2, "TR-ku": 1, "GE-ka": 1,
    "RU-ru": 1, "AL-sq": 1,
}  # fmt: skip

LOCALS = {
    "FR": (
        ["Sophie", "Camille", "Claire", "Nathalie", "Élise", "Manon", "Isabelle", "Léa",
         "Hélène", "Julie", "Anne", "Yasmina", "Inès", "Sandrine"],
        ["Julien", "Thomas", "Pierre", "Nicolas", "Olivier", "Mathieu", "Laurent", "Antoine",
         "Yves", "Bernard", "Karim", "Mehdi", "Vincent", "Jean-Marc"],
        ["Martin", "Moreau", "Garcia", "Fabre", "Roux", "Giraud", "Ferrand", "Blanc", "Orsini",
         "Benali", "Mercier", "Castellani", "Lopez", "Rinaldi", "Nguyen", "Santoni", "Arnaud"],
    ),
    "BE": (
        ["Marie", "Sarah", "Charlotte", "Amélie", "Lotte", "Els", "Sofie", "Fatima", "Inès",
         "Annick", "Valérie", "Laura"],
        ["Stéphane", "Jan", "Pieter", "Thomas", "Marc", "Didier", "Youssef", "Bart", "Geoffrey",
         "Olivier", "Benoît", "Mohamed"],
        ["Dubois", "Lambert", "Peeters", "Janssens", "Maes", "Dupont", "Claes", "Lejeune",
         "Renard", "El Amrani", "Mertens", "Wouters", "Leclercq", "Goossens", "Bastin"],
    ),
}  # fmt: skip

# ISCO-08 unit groups (4 digits; their first two digits are sub-major groups of vocab.ISCO).
OCCUPATIONS = {
    "2221": "Infirmier·ère",
    "2211": "Médecin généraliste",
    "2512": "Développeur·se logiciel",
    "2142": "Ingénieur·e en génie civil",
    "2411": "Comptable",
    "2341": "Enseignant·e (primaire)",
    "2635": "Travailleur·se social·e",
    "2642": "Journaliste",
    "2611": "Avocat·e",
    "2166": "Graphiste",
    "1412": "Gérant·e de restaurant",
    "3322": "Commercial·e",
    "4110": "Employé·e de bureau",
    "5120": "Cuisinier·ère",
    "5131": "Serveur·se",
    "5141": "Coiffeur·se",
    "5223": "Vendeur·se",
    "5321": "Aide-soignant·e",
    "6111": "Agriculteur·rice",
    "7115": "Menuisier·ère, charpentier·ère",
    "7126": "Plombier·ère",
    "7231": "Mécanicien·ne automobile",
    "7411": "Électricien·ne du bâtiment",
    "7512": "Boulanger·ère, pâtissier·ère",
    "7531": "Couturier·ère",
    "8322": "Chauffeur·se (voiture, taxi, livraison)",
    "8332": "Chauffeur·se poids lourds",
    "9112": "Agent·e d'entretien",
}

INTERESTS = [
    "cuisine", "football", "randonnée", "musique", "photographie", "théâtre", "échecs",
    "jardinage", "couture", "lecture", "cinéma", "danse", "vélo", "natation", "dessin",
    "bénévolat", "informatique", "langues", "histoire", "basket", "yoga", "pêche",
]  # fmt: skip

SKILLS = [
    "Organisation, travail en équipe",
    "Très à l'aise avec les outils numériques",
    "Connaît bien les démarches administratives",
    "Sait expliquer simplement, patient·e",
    "Réseau dans le secteur associatif",
    "Expérience de la recherche d'emploi",
    "Permis de conduire, véhiculé·e",
    "Bricolage, travaux manuels",
    "Parle plusieurs langues",
    "Expérience de l'accueil et de l'animation de groupe",
]

MENTEE_MOTIVATIONS = [
    "Améliorer mon français et rencontrer des gens d'ici.",
    "Trouver un travail dans mon métier.",
    "Comprendre comment fonctionnent les administrations.",
    "Connaître la ville et ses associations.",
    "Reprendre une formation et faire reconnaître mon diplôme.",
    "Me sentir moins seul·e et me faire des amis.",
    "Trouver un logement pour ma famille.",
]
MENTOR_MOTIVATIONS = [
    "Partager ma ville et mon réseau.",
    "Transmettre mon expérience professionnelle.",
    "J'ai moi-même été bien accueilli·e à mon arrivée ; je veux rendre la pareille.",
    "M'engager concrètement pour l'accueil des personnes exilées.",
    "Découvrir d'autres cultures et apprendre à mon tour.",
    "Donner un peu de temps chaque mois à une cause qui compte pour moi.",
]
INTAKE_NOTES = [
    "Entretien d'accueil fait ; personne motivée, disponible surtout en fin de journée.",
    "Besoin prioritaire exprimé clairement ; à revoir dans un mois.",
    "A déjà un suivi par un travailleur social ; le mentorat vient en complément.",
    "Souhaite un binôme du même genre.",
    "Documents en cours de renouvellement, ne pas proposer de démarches à l'étranger.",
    "Profil solide, peut accompagner une personne débutante en français.",
]

CONSENT_TEXTS: dict[str, str] = {
    Consent.Purpose.DATA_PROCESSING: (
        "J'accepte que l'association traite mes données pour organiser le programme de mentorat."
    ),
    Consent.Purpose.CONTACT: "J'accepte d'être contacté·e par l'équipe du programme.",
    Consent.Purpose.SHARE_WITH_PARTNER: (
        "J'accepte que mon profil (sans mes données sensibles) soit transmis à mon futur binôme."
    ),
}


class Area(TypedDict):
    """Where a programme's fictional people live, and how they like to meet."""

    country: str
    cities: list[str]
    mode: list[Participant.Mode]


# Cities of each area with their country, for coordinates and phone numbers.
AREAS: dict[str, Area] = {
    "marseille": {
        "country": "FR",
        "cities": ["Marseille"] * 8
        + ["Aix-en-Provence", "Aubagne", "Vitrolles", "Marignane", "La Ciotat", "Allauch"]
        + ["Martigues", "Gardanne", "Les Pennes-Mirabeau"],
        "mode": [Participant.Mode.IN_PERSON] * 4 + [Participant.Mode.EITHER],
    },
    "belgium": {
        "country": "BE",
        "cities": ["Bruxelles", "Bruxelles", "Schaerbeek", "Anderlecht", "Molenbeek-Saint-Jean"]
        + ["Ixelles", "Namur", "Namur", "Jambes", "Liège", "Charleroi", "Gembloux", "Wavre"]
        + ["Mons"],
        "mode": [Participant.Mode.EITHER] * 3
        + [Participant.Mode.IN_PERSON, Participant.Mode.REMOTE],
    },
    "france": {
        "country": "FR",
        "cities": ["Toulouse", "Lille", "Grenoble", "Orléans", "Arras", "Valenciennes", "Lens"]
        + ["Roubaix", "Gardanne", "Aubervilliers", "Istres", "Salon-de-Provence"],
        "mode": [Participant.Mode.REMOTE],
    },
}

# Coordinates that the offline GeoNames list lacks (small towns).
EXTRA_COORDINATES = {"Capaci": (38.17167, 13.23889)}


# --------------------------------------------------------------------------------------------
# City-to-city teams (seed 002)
# --------------------------------------------------------------------------------------------

ASSOCIATIONS = {
    "IT": "Associazione Italiana per il Consiglio dei Comuni e delle Regioni d'Europa (AICCRE)",
    "FR": "Association Française du Conseil des Communes et Régions d'Europe (AFCCRE)",
    "GR": "Central Union of Municipalities of Greece (KEDE)",
    "LV": "Latvijas Pašvaldību savienība (LALRG)",
    "BE-VL": "Vereniging van Vlaamse Steden en Gemeenten (VVSG)",
    "BE-BX": "Association Ville et Communes de Bruxelles (BRULOCALIS)",
    "BE-WA": "Union des Villes et Communes de Wallonie (UVCW)",
    "ES": "Federación Española de Municipios y Provincias (FEMP)",
    "PT": "Associação Nacional de Municípios Portugueses (ANMP)",
    "NL": "Vereniging van Nederlandse Gemeenten (VNG)",
    "SE": "Sveriges Kommuner och Regioner (SKR)",
    "AT": "Österreichischer Städtebund",
    "EE": "Eesti Linnade ja Valdade Liit (ELVL)",
    "LT": "Lietuvos savivaldybių asociacija (LSA)",
    "BG": "National Association of Municipalities in the Republic of Bulgaria (NAMRB)",
    "CZ": "Svaz měst a obcí České republiky (SMO ČR)",
    "PL": "Związek Miast Polskich (ZMP)",
    "RO": "Asociația Municipiilor din România (AMR)",
    "IE": "Association of Irish Local Government (AILG)",
    "SI": "Skupnost občin Slovenije (SOS)",
}

# Local names for the fictional members of each team, by language: "first|names", "sur|names".
TEAM_NAMES = {
    "it": ("Giulia|Francesca|Marco|Salvatore|Chiara", "Russo|Lo Bianco|Caruso|Messina"),
    "fr": ("Aurélie|Sylvie|François|Damien|Hélène", "Petit|Girard|Lefèvre|Chevalier"),
    "el": ("Eleni|Maria|Nikos|Giorgos|Dimitra", "Papadopoulou|Nikolaou|Georgiou|Oikonomou"),
    "lv": ("Ilze|Laura|Jānis|Andris|Inese", "Bērziņš|Ozola|Kalniņš|Liepa"),
    "nl": ("Annelies|Lieve|Koen|Wim|Griet", "De Smet|Vermeulen|Jacobs|Van Damme"),
    "es": ("Lucía|Carmen|Javier|Álvaro|Pilar", "Martínez|Sánchez|Romero|Navarro"),
    "pt": ("Inês|Joana|Tiago|Rui|Ana", "Ferreira|Costa|Oliveira|Santos"),
    "sv": ("Ingrid|Sara|Erik|Johan|Elin", "Lindqvist|Nilsson|Berg|Holm"),
    "de": ("Katharina|Birgit|Stefan|Lukas|Anna", "Huber|Gruber|Wagner|Pichler"),
    "et": ("Kadri|Liis|Mart|Tõnu|Kristi", "Tamm|Saar|Sepp|Mägi"),
    "lt": ("Rūta|Eglė|Tomas|Mantas|Asta", "Kazlauskas|Petraitė|Jankauskas|Žukauskė"),
    "bg": ("Elena|Desislava|Ivan|Georgi|Maria", "Ivanova|Petrov|Dimitrova|Georgiev"),
    "cs": ("Jana|Lucie|Petr|Tomáš|Eva", "Novák|Svobodová|Dvořák|Černá"),
    "pl": ("Agnieszka|Katarzyna|Piotr|Tomasz|Anna", "Nowak|Kowalska|Wiśniewski|Zielińska"),
    "ro": ("Ioana|Andreea|Mihai|Radu|Elena", "Popescu|Ionescu|Stan|Dumitru"),
    "en": ("Siobhán|Aoife|Ciarán|Declan|Mary", "Murphy|O'Brien|Walsh|Byrne"),
    "sl": ("Maja|Nina|Luka|Matej|Špela", "Novak|Horvat|Kovačič|Krajnc"),
}

# (city, country, association key, language, theme); the first four pairs are seed 002's table.
# Names teams go by where the city's name in the offline list is another language's.
TEAM_LABELS = {"Bruxelles": "City of Brussels"}
REAL_PAIRS = [
    (("Capaci", "IT", "IT", "it"), ("Mechelen", "BE", "BE-VL", "nl"), 0),
    (("Saint-Jean-de-la-Ruelle", "FR", "FR", "fr"), ("Bruxelles", "BE", "BE-BX", "fr"), 1),
    (("Levadia", "GR", "GR", "el"), ("Fuenlabrada", "ES", "ES", "es"), 2),
    (("Jelgava", "LV", "LV", "lv"), ("Schaerbeek", "BE", "BE-BX", "fr"), 3),
]
FICTIONAL_MENTEE_CITIES = [
    ("Patra", "GR", "GR", "el"), ("Larissa", "GR", "GR", "el"), ("Tartu", "EE", "EE", "et"),
    ("Kaunas", "LT", "LT", "lt"), ("Plovdiv", "BG", "BG", "bg"), ("Brno", "CZ", "CZ", "cs"),
    ("Lublin", "PL", "PL", "pl"), ("Timișoara", "RO", "RO", "ro"), ("Braga", "PT", "PT", "pt"),
    ("Cork", "IE", "IE", "en"), ("Ljubljana", "SI", "SI", "sl"), ("Getafe", "ES", "ES", "es"),
    ("Bologna", "IT", "IT", "it"), ("Orléans", "FR", "FR", "fr"), ("Lens", "FR", "FR", "fr"),
    ("Valenciennes", "FR", "FR", "fr"), ("Seraing", "BE", "BE-WA", "fr"),
    ("Verviers", "BE", "BE-WA", "fr"),
]  # fmt: skip
FICTIONAL_MENTOR_CITIES = [
    ("Gent", "BE", "BE-VL", "nl"), ("Leuven", "BE", "BE-VL", "nl"),
    ("Antwerpen", "BE", "BE-VL", "nl"), ("Utrecht", "NL", "NL", "nl"),
    ("Tilburg", "NL", "NL", "nl"), ("Malmö", "SE", "SE", "sv"), ("Graz", "AT", "AT", "de"),
    ("Linz", "AT", "AT", "de"), ("Grenoble", "FR", "FR", "fr"), ("Lille", "FR", "FR", "fr"),
    ("Zaragoza", "ES", "ES", "es"), ("Bilbao", "ES", "ES", "es"), ("Porto", "PT", "PT", "pt"),
    ("Riga", "LV", "LV", "lv"),
]  # fmt: skip
CIVIL_SOCIETY = [
    "Local support group for newcomers",
    "Migrant residents' association",
    "Language café network",
    "Refugee welcome committee",
]


# Merged with the programme's own entry in PROGRAMMES before the generators read it.
GENERATORS: dict[str, dict[str, Any]] = {
    "mentorat-interculturel": {
        "seed": 2014,
        "area": "marseille",
        "professional": False,
        "two_mentees": 0.0,
        "legal_statuses": [
            Participant.LegalStatus.ASYLUM_SEEKER,
            Participant.LegalStatus.REFUGEE,
            Participant.LegalStatus.SUBSIDIARY,
            Participant.LegalStatus.RESIDENT,
            Participant.LegalStatus.UNDOCUMENTED,
            Participant.LegalStatus.UNKNOWN,
        ],
        "accounts": True,
    },
    "mentorat-professionnel-n2wa": {
        "seed": 2017,
        "area": "belgium",
        "professional": True,
        "two_mentees": 0.0,
        "legal_statuses": [Participant.LegalStatus.ASYLUM_SEEKER],
        # N2WA is for asylum seekers; people fleeing Ukraine get temporary protection instead.
        "exclude_origins": {"UA"},
    },
    # Every fourth team applied without weekly availability: it is matched all the same (time
    # slots are not required in a city-to-city programme unless its coordinator asks).
    "mentorat-ville-a-ville": {"seed": 2022, "teams": True, "no_availability_every": 4},
    "mentorat-a-distance": {
        "seed": 2021,
        "area": "france",
        "professional": False,
        "two_mentees": 0.4,
        "legal_statuses": [
            Participant.LegalStatus.REFUGEE,
            Participant.LegalStatus.SUBSIDIARY,
            Participant.LegalStatus.ASYLUM_SEEKER,
            Participant.LegalStatus.RESIDENT,
        ],
        # Seed 004: "from 2 hours a year" to long-term mentoring; each mentor commits to one.
        "engagements": ["one_off", "few_sessions", "short_term", "long_term", ""],
        # What each mentee needs: matching keeps the lightest commitments for the lightest needs
        # (blank: the programme's weekly rhythm, long-term).
        "mentee_engagements": ["one_off", "few_sessions", "", "short_term", "one_off"],
    },
}

# --------------------------------------------------------------------------------------------
# Demo duos: each programme's duos at the stages a coordinator meets every day
# --------------------------------------------------------------------------------------------


class DuoPlan(TypedDict, total=False):
    """One demo duo to build (the comment below says what each key means)."""

    stage: Required[str]
    days: int
    ends_in: int
    closed_days: int
    silent: int
    accounts: bool
    pair: tuple[str, str]  # (mentee team, mentor team)
    next_in: int
    next_mode: str
    mode: str


# Per programme slug, the duos to build, in order. "days": how long ago the duo started;
# "stage": starting (agreement unsigned), active, low_mood (a mood of 2 and a call requested),
# overdue (no meeting for "silent" days), ending (planned end in "ends_in" days), closed (closed
# "closed_days" ago, so that its follow-up is due), visits (city-to-city, 2 of its 3 visits done).
# "accounts": the demo mentor and mentee logins; "pair": team names for city-to-city duos.
DEMO_DUOS: dict[str, list[DuoPlan]] = {
    "mentorat-interculturel": [
        {"stage": "active", "days": 70, "accounts": True, "next_in": 2, "next_mode": "video"},
        {"stage": "starting", "days": 4},
        {"stage": "low_mood", "days": 55, "next_in": 5, "next_mode": "in_person"},
        {"stage": "overdue", "days": 120, "silent": 45},
    ],
    "mentorat-professionnel-n2wa": [
        {"stage": "active", "days": 80, "next_in": 3, "next_mode": "in_person"},
        {"stage": "ending", "ends_in": 14, "next_in": 6, "next_mode": "video"},
        {"stage": "closed", "days": 200, "closed_days": 95},
    ],
    "mentorat-ville-a-ville": [
        {
            "stage": "visits",
            "days": 330,
            "pair": ("Capaci", "Mechelen"),
            "next_in": 9,
            "next_mode": "video",
            "mode": "video",
        },
        {"stage": "starting", "days": 10, "pair": ("Levadia", "Fuenlabrada")},
    ],  # fmt: skip
    "mentorat-a-distance": [
        {"stage": "active", "days": 40, "next_in": 1, "next_mode": "video", "mode": "video"},
    ],
}

# Action plans per programme: (title, need, why, steps, share of the period when due, status,
# carried by).
DEMO_OBJECTIVES = {
    "mentorat-interculturel": [
        ("Prendre la parole en français au marché et à la mairie", "language",
         "Se sentir à l'aise dans les échanges du quotidien.",
         "Une sortie par mois ensemble ; noter les mots nouveaux.", 0.4, "in_progress", "both"),
        ("S'inscrire à une association du quartier", "social_network",
         "Rencontrer d'autres personnes en dehors du binôme.",
         "Visiter deux associations ; choisir une activité.", 0.6, "planned", "mentee"),
        ("Comprendre le dossier de la CAF", "administration",
         "Ne plus dépendre des autres pour les démarches.",
         "Lire les courriers ensemble ; créer l'espace en ligne.", 0.2, "achieved", "both"),
    ],
    "mentorat-professionnel-n2wa": [
        ("Faire reconnaître le diplôme d'infirmier·e", "employment",
         "Exercer de nouveau son métier en Belgique.",
         "Dossier NARIC ; traductions jurées ; rendez-vous au service d'équivalences.",
         0.5, "in_progress", "mentee"),
        ("Préparer un CV et une lettre au format belge", "employment",
         "Les codes de présentation diffèrent de ceux du pays d'origine.",
         "Relecture par le mentor ; simulation d'entretien.", 0.3, "achieved", "both"),
        ("Rencontrer trois professionnel·les du secteur", "professional_network",
         "Se créer un réseau professionnel.", "Le mentor présente deux collègues.",
         0.8, "planned", "mentor"),
    ],
    "mentorat-ville-a-ville": [
        ("Needs analysis of the mentee city shared with all partners", "integration_policy",
         "A common starting point for the action plan.",
         "Workshop with the municipality and civil society.", 0.2, "achieved", "both"),
        ("Draft the local action plan on the chosen theme", "integration_policy",
         "The first steps the mentee city will take after the mentoring.",
         "Two working sessions; review by the mentor city.", 0.7, "in_progress", "mentee"),
    ],
    "mentorat-a-distance": [
        ("Trouver une formation qualifiante", "education",
         "Avoir un projet pour la rentrée.",
         "Explorer le site de la région ; appeler la mission locale.",
         0.5, "in_progress", "mentee"),
        ("Utiliser l'espace numérique France Travail", "administration",
         "Être autonome pour les démarches en ligne.", "Créer le compte pendant un appel vidéo.",
         0.2, "achieved", "both"),
    ],
}  # fmt: skip

# What a duo writes after a meeting (shared with both sides).
DEMO_SHARED_NOTES = [
    "Balade dans le quartier ; prochaine fois : le marché.",
    "On a préparé ensemble le rendez-vous de la semaine prochaine.",
    "Discussion sur les habitudes de travail ici et là-bas.",
    "Relecture du CV ; deux versions à comparer.",
    "Point sur le plan d'action : un objectif atteint !",
    "",
]
# What a coordinator notes privately after a meeting; never shown to the duo.
DEMO_PRIVATE_NOTES = [
    "La mentee semble fatiguée ; démarches de logement difficiles en ce moment.",
    "Le mentor est très investi ; attention à ne pas faire à la place de la mentee.",
    "",
    "",
]
# The same for city-to-city duos, whose teams work in English.
DEMO_TEAM_NOTES = [
    "Online meeting: progress on the needs analysis; next step the study visit.",
    "Reviewed the draft action plan together; comments from the civil society partners.",
    "Shared the mentor city's one-stop-shop procedures.",
]
DEMO_TEAM_PRIVATE_NOTES = ["The mentee city's deputy mayor changes after the elections.", ""]
DEMO_METHOD_NOTES = {
    "there": "Au pays, on trouve un emploi surtout par la famille et les voisins.",
    "here": "Ici, les candidatures passent par des annonces et des entretiens formels.",
    "comparison": "Le réseau compte dans les deux cas, mais il se construit autrement.",
    "verification": "Vérifié avec la conseillère emploi : les candidatures spontanées marchent.",
    "conclusion": "Préparer une courte présentation de soi pour les rencontres.",
}
DEMO_VISITS = [
    # (host, days after the start, length in days, agenda, outcomes)
    ("mentee", 60, 2, "Needs analysis on site: meetings with the municipality, NGOs, newcomers.",
     "Shared diagnosis; three priorities chosen."),
    ("mentor", 170, 3, "Study visit: the mentor city's one-stop shop and language cafés.",
     "Ideas for the action plan; contacts between the two civil societies."),
]  # fmt: skip
