"""Player names: the production ``player_lookup`` rule and a deterministic name factory.

``normalize_name_for_lookup`` follows ``domain.md`` §7.1 step by step. The factory draws names from
first/last-name pools that deliberately exercise that rule (diacritics, suffixes, hyphens,
apostrophes, periods, a Turkish dotless ı / dotted İ, ß) and guarantees that lookups are unique over
every player the simulated league ever had.
"""
from __future__ import annotations

import re
import unicodedata

import numpy as np

_TRAILING_SUFFIX = re.compile(r"\s+(junior|senior|jr\.|sr\.)$")
_SEPARATORS = re.compile(r"[ \-'.,_]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def normalize_name_for_lookup(name: str) -> str:
    """Production ``player_lookup`` normalisation (domain.md §7.1), applied in this order.

    1. NFKC; 2. Turkish ı → i, İ → I; 3. strip diacritics; 4. casefold (ß → ss);
    5. trailing " junior"/" senior"/" jr."/" sr." → "jr"/"sr"; 6. remove spaces, hyphens,
    apostrophes, periods, commas, underscores; 7. drop any other character outside [a-z0-9].
    """
    if name is None:
        return ""
    s = unicodedata.normalize("NFKC", str(name))
    s = s.replace("ı", "i").replace("İ", "I")
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = s.casefold().strip()
    s = _TRAILING_SUFFIX.sub(lambda m: "jr" if m.group(1).startswith("j") else "sr", s)
    s = _SEPARATORS.sub("", s)
    return _NOT_ALNUM.sub("", s)


def ascii_name(name: str) -> str:
    """How ASCII-only sources (Ball Don't Lie, the odds feeds) print a name: no diacritics."""
    s = name.replace("ı", "i").replace("İ", "I").replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


# --- pools --------------------------------------------------------------------------------------
FIRST_PLAIN = ["James", "Michael", "Chris", "Anthony", "Kevin", "Jalen", "Jaylen", "Tyrese", "Devin", "Marcus", "Brandon", "Jordan", "Tyler", "Cameron", "Isaiah", "Josh", "Zach", "Trae", "Darius", "Malik", "Jamal", "Derrick", "Andre", "Aaron", "Bradley", "Collin", "Donovan", "Evan", "Gary", "Harrison", "Ivan", "Jaren", "Keegan", "Lonzo", "Mason", "Nathan", "Obi", "Patrick", "Quentin", "Rudy", "Scottie", "Terrence", "Victor", "Walker", "Xavier", "Zion", "Bam", "Cade", "Dejounte", "Franz", "Grant", "Herbert", "Immanuel", "Jabari", "Kyle", "Luke", "Mikal", "Norman", "Onyeka", "Precious", "Royce", "Saddiq", "Tari", "Usman", "Wendell", "Yves", "Amen", "Ausar", "Bennedict", "Chet", "Dyson", "Ethan", "Gradey", "Jett", "Keon", "Moussa", "Bogdan", "Dario", "Goran", "Jonas", "Kristaps", "Domantas", "Nicolas", "Giannis", "Dennis", "Maxi", "Juancho", "Willy", "Cedi", "Killian", "Rui", "Yuta", "Lauri", "Markus", "Santi", "Gabe", "Desmond", "Kelly", "Miles", "Caleb", "Jarrett", "Reggie", "Damian", "Paul", "Stephen", "Klay", "Draymond", "Jimmy", "Kawhi", "Joel", "Tobias", "Seth", "Bojan", "Kemba", "Mitchell", "Spencer", "Jerami", "Alec", "Naz", "Payton", "Nickeil", "Quinn", "Rasheed", "Shai", "Tre", "Vince", "Wesley", "Zeke", "Brook", "Robin", "Cody", "Dalen", "Eric", "Frank", "Hamidou", "Isaac", "Jeremy", "Kenrich", "Larry", "Marvin", "Nick", "Oshae", "Pascal", "Rodney", "Simone", "Torrey", "Udoka", "Vasilije", "Jakob", "Dillon", "Kobe", "Lindy", "Moses"]

FIRST_SPECIAL = (
    "Dāvis", "Théo", "Álex", "Nikola", "Luka", "Jusuf", "Dāvids", "Džanan", "Sékou", "Timothé",
    "De'Andre", "D'Angelo", "De'Aaron", "Ja'Kobe", "Day'Ron", "Karl-Anthony", "Jean-Luc",
    "Shai-Alexander", "P.J.", "T.J.", "R.J.", "C.J.", "O.G.", "A.J.", "Ömer", "Ersan", "Kaan",
    "Şenol", "Yiğit", "Hüseyin", "Joakim", "François", "Jérémie", "Nenê",
)

LAST_PLAIN = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Torres", "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Wood", "James", "Bennett", "Gray", "Hughes", "Price", "Sanders", "Myers", "Long", "Ross", "Foster", "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes", "Fisher", "Vasquez", "Simmons", "Graham", "Marshall", "Owens", "Harrison", "Gibson", "Wallace", "Holmes", "Hunter", "Mills", "Warren", "Dixon", "Ramos", "Reynolds", "Hamilton", "Ford", "Wells", "Porter", "Ellis", "Hayes", "Burke", "Tatum", "Brunson", "Haliburton", "Mobley", "Banchero", "Wembanyama", "Cunningham", "Sabonis", "Antetokounmpo", "Embiid", "Siakam", "Adebayo", "Markkanen", "Sengun", "Kuminga", "Wiggins", "Poole", "Bridges", "Herro", "Murray", "Gordon", "Lillard", "Holiday", "Middleton", "Lopez", "Portis", "Giddey", "Holmgren", "Dort", "Williamson", "Ingram", "McCollum", "Valanciunas", "Zubac", "Harden", "Leonard", "Okongwu", "Hunter", "Bogdanovic", "Collier", "Mathurin", "Nembhard", "Turner", "Toppin", "Sharpe", "Simons", "Ayton", "Grant", "Camara", "Reath", "Fox", "Huerter", "Monk", "Keegan", "Sochan", "Vassell", "Barrett", "Quickley", "Poeltl", "Olynyk", "Sexton", "Clarkson", "Kessler", "Kispert", "Poole", "Coulibaly", "Avdija", "Jaquez", "Highsmith", "Ware", "Jovic", "Hield", "Kuzma"]

LAST_SPECIAL = (
    "Jokić", "Dončić", "Bertāns", "Šarić", "Nurkić", "Valančiūnas", "Porziņģis", "Schröder",
    "Hernangómez", "Núñez", "Bogdanović", "Vučević", "Müller", "Matković", "Krejčí", "Žižić",
    "Pokuševski", "Micić", "Petrušev", "Hernández", "García", "López", "Peñaranda", "Gonçalves",
    "Ibáñez", "Dąbrowski", "Şengün", "Çelik",
    "Caldwell-Pope", "Gilgeous-Alexander", "Robinson-Earl", "Hayes-Davis", "Watford-Hill",
    "Walker-Kabengele", "O'Neale", "O'Bryant", "D'Amico", "N'Diaye", "St. Clair",
    "İlyasova", "Yıldırım", "Aydın", "Kılıç", "Altıntaş",
    "Weiß", "Strauß", "Großmann", "Nußbaum",
)

SUFFIXES = (" Jr.", " Sr.", " II", " III", " IV", " Jr", " Junior")
_SUFFIX_P = np.array([0.42, 0.10, 0.18, 0.18, 0.05, 0.04, 0.03])


class NameFactory:
    """Deterministic unique names. Uniqueness is over ``player_lookup`` for the whole league history."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, rng: np.random.Generator) -> tuple[str, str, str, str]:
        """Return (full_name, first, last_with_suffix, lookup)."""
        for attempt in range(40):
            first = (FIRST_SPECIAL[rng.integers(len(FIRST_SPECIAL))] if rng.random() < 0.12
                     else FIRST_PLAIN[rng.integers(len(FIRST_PLAIN))])
            last = (LAST_SPECIAL[rng.integers(len(LAST_SPECIAL))] if rng.random() < 0.16
                    else LAST_PLAIN[rng.integers(len(LAST_PLAIN))])
            if rng.random() < 0.08:
                last += SUFFIXES[rng.choice(len(SUFFIXES), p=_SUFFIX_P)]
            if attempt >= 20:  # disambiguate with a middle initial, as registries do
                first = f"{first} {chr(65 + int(rng.integers(26)))}."
            full = f"{first} {last}"
            lookup = normalize_name_for_lookup(full)
            if lookup and lookup not in self.used:
                self.used.add(lookup)
                return full, first, last, lookup
        raise RuntimeError("could not find a unique player name")  # pragma: no cover


def last_first(first: str, last: str) -> str:
    """The NBA injury-report spelling: "Porter Jr., Michael"."""
    return f"{last}, {first}"
