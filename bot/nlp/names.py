"""Names as news copy writes them: titles and ranks before them, possessives after, acronyms for them.

General word lists (a rank is a rank in any article), never names of particular people.
"""

from __future__ import annotations

import re
import unicodedata

# Honorifics, ranks and offices: roles, not parts of a name ("Maj. Gen. Qasem Soleimani", "Ayatollah Ali Khamenei").
HONORIFICS = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "prof", "professor", "rev", "reverend",
    "ayatollah", "grand", "sheikh", "shaikh", "sheik", "imam", "mullah", "mufti", "hojatoleslam", "rabbi", "pope",
    "cardinal", "bishop", "archbishop", "father", "sister", "brother", "saint", "hon", "honorable", "his", "her",
    "excellency", "highness", "majesty", "king", "queen", "prince", "princess", "emir", "amir", "sultan", "sayyed",
    "sayed", "haji", "hajj",
}  # fmt: skip
RANKS = {
    "gen", "general", "maj", "major", "col", "colonel", "lt", "lieutenant", "sgt", "sergeant", "capt", "captain",
    "cpl", "corporal", "pvt", "private", "adm", "admiral", "cmdr", "commander", "brig", "brigadier", "marshal",
    "field", "staff", "master", "chief", "warrant", "officer", "rear", "vice", "commodore", "ensign", "spc",
}  # fmt: skip
OFFICES = {
    "president", "vice", "prime", "minister", "premier", "chancellor", "secretary", "ambassador", "envoy",
    "senator", "sen", "rep", "representative", "congressman", "congresswoman", "gov", "governor", "mayor",
    "judge", "justice", "supreme", "leader", "chairman", "chairwoman", "chair", "spokesman", "spokeswoman",
    "spokesperson", "foreign", "defense", "defence", "interior", "finance", "deputy", "acting", "former",
    "senior", "special", "speaker", "commissioner", "attorney", "director", "ceo", "chief", "head", "state",
    "president-elect", "dictator", "presidential", "adviser", "advisor", "lawmaker", "mp", "cleric",
}  # fmt: skip
# "Army Col. Ryan Dillon": a service name is part of the title when a rank follows it.
SERVICES = {"army", "navy", "marine", "marines", "air", "force", "guard", "coast"}
TITLE_WORDS = HONORIFICS | RANKS | OFFICES

# Words that make an organisation's name a publication's.
PUBLICATION_WORDS = {
    "news", "times", "post", "press", "monitor", "journal", "herald", "tribune", "gazette", "agency", "reuters",
    "bloomberg", "tv", "television", "radio", "broadcasting", "broadcast", "daily", "weekly", "magazine",
    "telegraph", "guardian", "observer", "chronicle", "courier", "dispatch", "examiner", "inquirer", "newspaper",
    "network", "channel", "wire", "newswire", "newsweek", "cnn", "bbc", "afp", "ap", "npr", "abc", "cbs", "nbc",
    "msnbc", "politico", "axios", "al-monitor", "al-jazeera", "rudaw", "kurdistan24", "irna", "isna", "tass",
}  # fmt: skip
# Verbs that report speech (lemmas): the cues of quotes, and a sign that their subject is someone.
SPEECH_VERBS = {
    "say", "tell", "add", "warn", "caution", "reply", "respond", "state", "note", "insist", "declare", "explain",
    "argue", "claim", "ask", "urge", "announce", "write", "quote", "continue", "acknowledge", "admit", "recall",
    "remark", "suggest", "vow", "deny", "stress", "emphasize", "emphasise", "complain", "predict", "promise",
    "tweet", "charge", "contend", "comment", "conclude", "concede", "observe", "assert", "confirm", "boast",
    "joke", "shout", "scream", "cry", "whisper", "mutter", "retort", "counter", "plead", "pledge", "threaten",
    "testify", "report", "reiterate", "maintain", "lament", "quip", "demand", "answer", "describe",
    "call", "exclaim", "proclaim", "recount", "believe", "think", "post", "wonder", "mention", "allege",
}  # fmt: skip
ACRONYM_SKIP = {"of", "the", "and", "for", "de", "del", "in", "on", "to", "a", "an", "&"}
POSSESSIVES = {"'s", "’s", "'", "’", "s"}

# Words inside a person's name that the model may take for the end of it ("Khalid bin Salman", "Ursula von der Leyen").
NAME_PARTICLES = {"bin", "ibn", "bint", "abu", "de", "del", "della", "van", "von", "der", "da", "dos", "le", "la"}
NAME_PARTICLE = re.compile(r"^[a-z]{1,3}-$")  # "al-" left dangling by a broken name ("al- Abadi")
_PARTICLE_GAP = re.compile(r"\b([a-z]{1,3})-\s+(?=\w)")  # "al- Abadi" -> "al-Abadi"
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,6}$|^(?:[A-Z]\.){1,5}[A-Z]$")
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ul|ad|as|ash|at|az|an|ar)-", re.IGNORECASE)


def is_title_word(text: str) -> bool:
    return text.lower().rstrip(".") in TITLE_WORDS


def display_name(text: str) -> str:
    """A mention as a name: no leading "the", no possessive, no broken particle, single spaces."""
    text = _PARTICLE_GAP.sub(r"\1-", " ".join(text.split()))
    text = re.sub(r"^(?:the|The|THE)\s+", "", text)
    return re.sub(r"(?:['’]s|['’])$", "", text).strip()


def name_key(text: str) -> str:
    """What two spellings of the same name have in common: no accents, case, dots or curly apostrophes."""
    text = unicodedata.normalize("NFKD", display_name(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold().replace("’", "'").replace(".", "").replace("‐", "-")


def surname_keys(key: str) -> set[str]:
    """A one-word name's keys: "al-abadi" is also "abadi"."""
    last = key.split()[-1] if key else key
    keys = {last}
    bare = _ARTICLE_PREFIX.sub("", last)
    if bare and bare != last:
        keys.add(bare)
    return keys


def acronym_of(name: str) -> str | None:
    """Initials of a name of two or more words: "Patriotic Union of Kurdistan" -> "PUK"."""
    words = [w for w in re.split(r"[\s-]+", display_name(name)) if w and w.lower() not in ACRONYM_SKIP]
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return None
    return "".join(w[0] for w in words).upper()


def as_acronym(text: str) -> str | None:
    """ "U.S." / "U.S" / "PUK" -> "US" / "US" / "PUK"; None if it is not written as an acronym."""
    bare = display_name(text)
    if not _ACRONYM.match(bare):
        return None
    return bare.replace(".", "")


def has_publication_word(name: str) -> bool:
    return any(w in PUBLICATION_WORDS for w in re.split(r"\s+", name_key(name)))


def is_personal_title(doc, i: int) -> bool:
    """An honorific or rank at token i ("Ayatollah", "Gen."), or a service before a rank ("Army" in "Army Col.")."""
    word = doc[i].lower_.rstrip(".")
    if word in HONORIFICS or word in RANKS:
        return True
    return word in SERVICES and i + 1 < len(doc) and doc[i + 1].lower_.rstrip(".") in RANKS
