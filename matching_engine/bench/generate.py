"""Seeded, realistic national cohorts: newcomers and local volunteers across France.

The proportions are plausible rather than sourced: people live around 34 cities weighted by
population (and 8 % in the countryside); mentees speak their own language natively and French at
every level from A1; most mentors are native French speakers with some English or Spanish; half the
pairs must meet in person within 5-30 km; mentors have fewer, mostly evening and weekend, slots.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..model import SLOTS

CITIES = [  # name, latitude, longitude, metropolitan population (millions)
    ("Paris", 48.8566, 2.3522, 12.4), ("Lyon", 45.7640, 4.8357, 2.3),
    ("Marseille", 43.2965, 5.3698, 1.9), ("Toulouse", 43.6047, 1.4442, 1.4),
    ("Lille", 50.6292, 3.0573, 1.2), ("Bordeaux", 44.8378, -0.5792, 1.3),
    ("Nice", 43.7102, 7.2620, 1.0), ("Nantes", 47.2184, -1.5536, 1.0),
    ("Strasbourg", 48.5734, 7.7521, 0.8), ("Montpellier", 43.6108, 3.8767, 0.8),
    ("Rennes", 48.1173, -1.6778, 0.7), ("Grenoble", 45.1885, 5.7245, 0.7),
    ("Rouen", 49.4432, 1.0999, 0.7), ("Toulon", 43.1242, 5.9280, 0.6),
    ("Saint-Etienne", 45.4397, 4.3872, 0.5), ("Tours", 47.3941, 0.6848, 0.5),
    ("Nancy", 48.6921, 6.1844, 0.5), ("Orleans", 47.9030, 1.9093, 0.45),
    ("Metz", 49.1193, 6.1757, 0.4), ("Clermont-Ferrand", 45.7772, 3.0870, 0.5),
    ("Caen", 49.1829, -0.3707, 0.45), ("Dijon", 47.3220, 5.0415, 0.4),
    ("Angers", 47.4784, -0.5632, 0.4), ("Le Havre", 49.4944, 0.1079, 0.3),
    ("Reims", 49.2583, 4.0317, 0.35), ("Brest", 48.3904, -4.4861, 0.3),
    ("Limoges", 45.8336, 1.2611, 0.3), ("Amiens", 49.8941, 2.2958, 0.3),
    ("Perpignan", 42.6887, 2.8948, 0.3), ("Besancon", 47.2378, 6.0241, 0.25),
    ("Poitiers", 46.5802, 0.3404, 0.25), ("Pau", 43.2951, -0.3708, 0.2),
    ("Calais", 50.9513, 1.8587, 0.1), ("Briancon", 44.8986, 6.6439, 0.02),
]  # fmt: skip

MOTHER_TONGUES = {
    "ar": 0.25, "fa": 0.12, "ps": 0.08, "uk": 0.10, "ru": 0.05, "ti": 0.06, "so": 0.04,
    "en": 0.05, "es": 0.04, "ku": 0.05, "ka": 0.03, "sq": 0.03, "bn": 0.03, "ta": 0.02,
    "ln": 0.03, "am": 0.02,
}  # fmt: skip
MENTOR_LANGUAGES = {  # share of mentors speaking it (besides French), and the levels they reach
    "en": (0.65, ("B1", "B2", "B2", "C1")), "es": (0.20, ("B1", "B2")),
    "de": (0.12, ("A2", "B1", "B2")), "it": (0.08, ("B1", "B2")), "ar": (0.08, ("B2", "native")),
    "pt": (0.05, ("B2", "native")), "ru": (0.03, ("B2", "native")), "uk": (0.015, ("native",)),
    "fa": (0.01, ("native",)), "tr": (0.01, ("native",)),
}  # fmt: skip
NEEDS = ("employment", "language", "housing", "admin", "network", "culture", "studies", "health")
INTERESTS = (
    "football", "cooking", "music", "reading", "running", "chess", "hiking", "cinema", "dance",
    "photography", "gardening", "volunteering", "theatre", "basketball", "cycling", "painting",
    "history", "technology", "fashion", "yoga", "swimming", "games", "crafts", "religion",
    "politics", "travel", "animals", "languages", "science", "poetry",
)  # fmt: skip
SECTORS = (  # ISCO-08 unit groups common among job seekers and volunteers
    "2221", "2211", "2212", "3221", "5321", "5322", "2341", "2330", "2411", "2412", "2421", "2511",
    "2512", "2513", "2514", "3512", "3513", "2142", "2144", "2145", "3112", "3115", "2631", "2635",
    "2642", "2651", "3343", "3411", "4110", "4120", "4311", "4321", "4222", "5120", "5131", "5141",
    "5223", "5230", "5411", "6111", "7112", "7115", "7126", "7131", "7212", "7231", "7411", "7412",
    "7512", "7531", "8322", "8332", "8160", "9112", "9121", "9313", "9329", "9333", "9412", "2310",
)  # fmt: skip


def generate(n_mentees: int, n_mentors: int, seed: int = 1) -> dict[str, Any]:
    """Return an instance dict with n_mentees newcomers and n_mentors volunteers."""
    rng = np.random.default_rng(seed)
    city_weights = np.array([c[3] for c in CITIES])
    city_weights /= city_weights.sum()

    def locations(n: int) -> np.ndarray:
        city = rng.choice(len(CITIES), size=n, p=city_weights)
        lat0 = np.array([CITIES[c][1] for c in city])
        lon0 = np.array([CITIES[c][2] for c in city])
        spread_km = 4 + 3 * np.sqrt(np.array([CITIES[c][3] for c in city]))
        lat = lat0 + rng.normal(0, 1, n) * spread_km / 111.2
        lon = lon0 + rng.normal(0, 1, n) * spread_km / (111.2 * np.cos(np.radians(lat0)))
        rural = rng.random(n) < 0.08
        lat[rural] = rng.uniform(43.0, 50.5, rural.sum())
        lon[rural] = rng.uniform(-1.5, 7.0, rural.sum())
        return np.round(np.column_stack([lat, lon]), 4)

    def slots(n: int, low: int, high: int, weights: np.ndarray) -> list[list[str]]:
        p = weights / weights.sum()
        counts = rng.integers(low, high + 1, size=n)
        return [sorted(rng.choice(SLOTS, size=k, replace=False, p=p).tolist()) for k in counts]

    def birth_years(n: int, centre: int, spread: int, low: int, high: int) -> np.ndarray:
        return np.clip(np.round(rng.normal(centre, spread, n)), low, high).astype(int)

    mentees = []
    tongues = list(MOTHER_TONGUES)
    tongue_p = np.array(list(MOTHER_TONGUES.values()))
    tongue = rng.choice(len(tongues), size=n_mentees, p=tongue_p / tongue_p.sum())
    french = rng.choice(
        ["A1", "A2", "B1", "B2", "C1"], size=n_mentees, p=[0.25, 0.3, 0.25, 0.12, 0.08]
    )
    english = rng.random(n_mentees) < 0.35
    english_level = rng.choice(["A2", "B1", "B2"], size=n_mentees, p=[0.3, 0.45, 0.25])
    modes = rng.choice(["in_person", "either", "remote"], size=n_mentees, p=[0.55, 0.30, 0.15])
    where = locations(n_mentees)
    radius = rng.choice([10, 15, 20, 25], size=n_mentees)
    uniform_slots = np.ones(len(SLOTS))
    availability = slots(n_mentees, 3, 9, uniform_slots)
    gender = rng.choice(["m", "f"], size=n_mentees, p=[0.6, 0.4])
    prefers = rng.random(n_mentees)
    employment = rng.random(n_mentees) < 0.65
    born = birth_years(n_mentees, 1994, 9, 1960, 2007)
    for i in range(n_mentees):
        languages = {tongues[tongue[i]]: "native"}
        if tongues[tongue[i]] != "fr":
            languages["fr"] = str(french[i])
        if english[i] and "en" not in languages:
            languages["en"] = str(english_level[i])
        if tongues[tongue[i]] == "uk" and prefers[i] < 0.6:
            languages["ru"] = "C1"
        needs = set(rng.choice(NEEDS[1:], size=rng.integers(0, 3), replace=False).tolist())
        if employment[i]:
            needs.add("employment")
        g = str(gender[i])
        pref = "any"
        if (g == "f" and prefers[i] < 0.3) or (g == "m" and prefers[i] < 0.03):
            pref = g
        mentees.append(
            {
                "id": f"e{i:06d}",
                "languages": languages,
                "mode": str(modes[i]),
                "location": None if modes[i] == "remote" else where[i].tolist(),
                "max_distance_km": int(radius[i]),
                "availability": availability[i],
                "gender": g,
                "gender_preference": pref,
                "sector": str(rng.choice(SECTORS)) if employment[i] else None,
                "needs": sorted(needs),
                "interests": sorted(
                    rng.choice(INTERESTS, size=rng.integers(0, 5), replace=False).tolist()
                ),
                "birth_year": int(born[i]),
            }
        )

    mentors = []
    modes = rng.choice(["in_person", "either", "remote"], size=n_mentors, p=[0.45, 0.35, 0.20])
    where = locations(n_mentors)
    radius = rng.choice([5, 10, 15, 20, 30], size=n_mentors)
    # Volunteers work: evenings and weekends are their free time.
    free_time = [s.endswith("eve") or s[:3] in ("sat", "sun") for s in SLOTS]
    slot_weights = np.where(free_time, 2.0, 0.6)
    availability = slots(n_mentors, 2, 6, slot_weights)
    gender = rng.choice(["f", "m", "x"], size=n_mentors, p=[0.6, 0.38, 0.02])
    capacity = rng.choice([1, 2, 3], size=n_mentors, p=[0.7, 0.22, 0.08])
    trained = rng.random(n_mentors) < 0.88
    born = birth_years(n_mentors, 1975, 14, 1945, 2004)
    for j in range(n_mentors):
        languages = {"fr": "native" if rng.random() < 0.92 else str(rng.choice(["C1", "C2"]))}
        for code, (share, levels) in MENTOR_LANGUAGES.items():
            if rng.random() < share:
                languages[code] = str(rng.choice(levels))
        mentors.append(
            {
                "id": f"m{j:06d}",
                "languages": languages,
                "mode": str(modes[j]),
                "location": None if modes[j] == "remote" else where[j].tolist(),
                "max_distance_km": int(radius[j]),
                "availability": availability[j],
                "gender": str(gender[j]),
                "sector": str(rng.choice(SECTORS)) if rng.random() < 0.85 else None,
                "offers": sorted(
                    rng.choice(NEEDS, size=rng.integers(2, 5), replace=False).tolist()
                ),
                "interests": sorted(
                    rng.choice(INTERESTS, size=rng.integers(0, 5), replace=False).tolist()
                ),
                "birth_year": int(born[j]),
                "capacity": int(capacity[j]),
                "training_done": bool(trained[j]),
            }
        )
    return {
        "settings": {"kind": "intercultural", "min_language_level": "A2", "require_training": True},
        "mentees": mentees,
        "mentors": mentors,
        "locked": [],
        "forbidden": [],
    }
