"""Names as news copy writes them: titles and ranks before them, possessives after, acronyms for them; and the
words that look like names and are not (units, currencies, the line items of an earnings table).

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
    "sayed", "haji", "hajj", "fr",
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
# Ranks and honorifics that are everyday words as well, and so begin the names of firms, leagues and events
# ("General Motors", "Major League Baseball", "Grand Prix", "Field Museum", "Queen"): alone, they do not make a
# name a person's. Spelled out, they are surnames too ("King said").
COMMON_WORD_TITLES = {
    "general", "major", "grand", "field", "staff", "master", "chief", "private", "officer", "warrant", "rear",
    "vice", "captain", "commander", "marshal", "father", "brother", "sister", "saint", "his", "her", "king",
    "queen", "prince", "princess", "lord", "lady", "cardinal", "bishop", "pope", "highness", "majesty",
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
# Units, currencies and measures as news copy writes them ("12 cts", "1.2 mln dlrs", "5 pct", "30 km", "0900 GMT"),
# and the line items of an earnings table ("Shr", "Revs", "Avg shrs", "Div"): quantities, never names. These are
# abbreviations in any case but capitals (a company may be "CTS"; "GMT" and "USD" are written so).
UNIT_ABBREVIATIONS = {
    "dlr", "dlrs", "ct", "cts", "mln", "mlns", "bln", "blns", "pct", "stg", "bpd", "bbl", "bbls", "cwt", "km", "kms",
    "mph", "kph", "kg", "kgs", "mw", "kw", "kwh", "mwh", "gw", "ecu", "ecus", "shr", "shrs", "revs", "avg", "qtr",
    "qtly", "mths", "oper",
}  # fmt: skip
CAPITAL_UNITS = {
    "gmt", "utc", "est", "edt", "cst", "cdt", "pst", "pdt", "cet", "bst", "usd", "eur", "gbp", "jpy", "bpd", "mw",
}  # fmt: skip
# Currencies whose names, capitalised, are nobody's: units alone ("the Euro"), and taken off the end of a name
# ("U.S. Dollar", "N.Z. Dlrs"), as "Yen", "Yuan", "Penny", "Sterling", "Franc" or "Mark" are not ("Li Yuan", "Raheem
# Sterling").
CURRENCY_WORDS = {
    "dollar", "dollars", "cent", "cents", "euro", "euros", "guilder", "guilders", "peso", "pesos", "rupee", "rupees",
    "ringgit", "baht", "lira", "lire", "ecu", "ecus", "dlr", "dlrs", "cts", "stg",
}  # fmt: skip
# Currencies and units in lower case only: capitalised, these are names too ("Marks", "Miles", "Crown", "Rand",
# "Times Sq.", "Wizard of Oz", "1st Armored Div.").
LOWER_CURRENCIES = {
    "yen", "yuan", "renminbi", "pence", "penny", "sterling", "franc", "francs", "mark", "marks", "pound", "pounds",
    "rand", "crown", "crowns", "krona", "krone", "kronor",
}  # fmt: skip
PLAIN_UNITS = CURRENCY_WORDS | LOWER_CURRENCIES | {
    "million", "billion", "trillion", "percent", "mile", "miles", "metre", "metres", "meter", "meters", "kilometre",
    "kilometres", "kilometer", "kilometers", "foot", "feet", "inch", "inches", "ton", "tons", "tonne", "tonnes",
    "barrel", "barrels", "ounce", "ounces", "bushel", "bushels", "acre", "acres", "hectare", "hectares", "gallon",
    "gallons", "litre", "litres", "liter", "liters", "sq", "ft", "cu", "oz", "ozs", "lb", "lbs", "mm", "cm", "div",
}  # fmt: skip
# "Revs 11.2 mln vs 9.8 mln": quantities compared, not a name.
COMPARISON_WORDS = {"vs", "vs.", "versus"}
# Exchanges whose codes lead a ticker ("NYSE:XYZ", "(Nasdaq: ABCD)"): the symbol is no actor, nor is the exchange there.
EXCHANGE_CODES = {
    "nyse", "nasdaq", "amex", "nysearca", "nysemkt", "otc", "otcqb", "otcqx", "lse", "lon", "tsx", "tsxv", "tse", "asx",
    "hkex", "hkg", "sgx", "nse", "bse", "etr", "fra", "xetra", "epa", "ams", "ebr", "bit", "bme", "six", "tyo", "krx",
    "sha", "she", "jse", "bmv", "bvmf", "cve", "cnsx",
}  # fmt: skip

# Market indices: their names end in an index word ("Dow Jones Industrial Average", "Nasdaq Composite", "Hang Seng
# index") or in the number of their shares ("FTSE 100", "S&P 500", "Russell 2000", "CAC 40", "Nikkei 225").
INDEX_WORDS = {"index", "indices", "indexes", "average", "composite"}
INDEX_SIZES = {20, 25, 30, 40, 50, 100, 150, 200, 225, 250, 300, 400, 500, 600, 1000, 1500, 2000, 3000, 5000}
# A name and a round number is an index in a sentence about markets ("the FTSE 100 fell 30 points"), a product's
# model elsewhere ("the Dodge 600", "the PS/2 Model 50").
MARKET_WORDS = {
    "point", "points", "index", "indices", "stock", "stocks", "share", "shares", "equities", "market", "markets",
    "bourse", "trading", "traders", "investors",
}  # fmt: skip
# The last word of a body that computes an index: "the American Stock Exchange index" is the exchange's.
INDEX_MAKER_WORDS = {"exchange", "bourse", "institute", "association", "board", "bureau", "department", "ministry"}

# The last words of the names of events ("World Cup", "British Open", "Venice Film Festival", "Gulf War"), which the
# model often calls organisations or places. Not "Conference", "League" or "Games": mostly bodies ("Southeastern
# Conference", "Skin Games").
EVENT_HEADS = {
    "cup", "open", "championship", "championships", "festival", "prix", "tournament", "olympics", "olympiad", "war",
    "marathon", "regatta", "summit",
}  # fmt: skip
# The last words of the names of places and sites ("Hancock Brook", "Bridgton Junction", "Davis Gym"), which the
# model often calls people or organisations when it does not know the name. Not those that are surnames as well
# ("Hall", "Lake", "Hill", "Field", "Park", "Street": "Arsenio Hall", "Ricki Lake").
PLACE_NAME_HEADS = {
    "creek", "brook", "pond", "river", "harbour", "harbor", "island", "islands", "peninsula", "mountains", "valley",
    "canyon", "falls", "dock", "docks", "pier", "junction", "avenue", "road", "boulevard", "square", "bridge",
    "canal", "airport", "station", "stadium", "arena", "playfield", "gym", "coulee", "reservoir", "glacier", "county",
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
    "gush", "interject", "interrupt", "advise", "chime", "chant", "sing", "read", "type", "yell", "holler",
    "laugh", "scold", "chide", "rebuke", "admonish", "scoff", "sneer", "taunt", "brag", "gripe", "grumble", "muse",
    "marvel", "sigh", "snap", "fume", "rant", "elaborate", "clarify", "assure", "reassure", "implore", "beg",
    "murmur", "mumble", "blurt", "concur", "opine", "speculate", "preach",
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


def is_unmistakable_title(doc, i: int) -> bool:
    """An honorific or rank at token i that is no everyday word: "Gen.", "Dr", "Ayatollah", "Colonel"."""
    word = doc[i].lower_.rstrip(".")
    return (word in HONORIFICS or word in RANKS) and word not in COMMON_WORD_TITLES


def is_personal_title(doc, i: int) -> bool:
    """An honorific or rank at token i ("Ayatollah", "Gen."), or a service before a rank ("Army" in "Army Col.")."""
    word = doc[i].lower_.rstrip(".")
    if word in HONORIFICS or word in RANKS:
        return True
    return word in SERVICES and i + 1 < len(doc) and doc[i + 1].lower_.rstrip(".") in RANKS


def is_unit(token) -> bool:
    """A unit, currency or measure word ("cts", "Dlrs", "GMT", "marks", "Dollar"), never a name."""
    text = token.text
    word = text.lower().rstrip(".")
    if text.isupper() and len(text) > 1:
        return word in CAPITAL_UNITS
    return word in UNIT_ABBREVIATIONS or word in (PLAIN_UNITS if text.islower() else CURRENCY_WORDS)


def is_currency(token) -> bool:
    """A currency's word: "dollars", "yen"; capitalised, only one that is nobody's name ("Dollar", not "Yuan")."""
    text = token.text
    if text.islower():
        return text in CURRENCY_WORDS or text in LOWER_CURRENCIES
    return not text.isupper() and text.lower() in CURRENCY_WORDS


def index_stem(words: list[str]) -> list[str]:
    """An index's name before its index words and count of shares: "Dow Jones Industrial" of "Dow Jones Industrial
    Average", "FTSE" of "FTSE 100 index"."""
    stem = []
    for word in words:
        if word.lower() in INDEX_WORDS or (word.isdigit() and int(word) in INDEX_SIZES):
            break
        stem.append(word)
    return stem
