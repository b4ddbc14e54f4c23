"""Contacts outside the UK: street addresses, post boxes and phone numbers (issue 9).

A family's relatives, sponsors and former addresses are often abroad. Addresses there are
written number-last ("Kirchstrasse 2, La Sagne 2314") or number-first without a UK street
suffix ("12 Anna Salai, Chennai 600002"), and post boxes have a dozen national names
("P.O. Box 104", "Postfach 412", "Apartado 58"). libpostal (the ``postal`` package) would
parse them, but it needs the libpostal C library and a 2 GB model downloaded at install
time, which no registry here ships (see docs/redaction.md), so these are patterns: a street
word of many languages, a house number and the locality that follows.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

from .gate import GatedPattern

#: Words that name a street in other languages (and the English ones written number-last).
STREET_WORDS = (
    "strasse|straße|str\\.|gasse|weg|allee|platz|ring|damm|ufer|straat|gracht|laan|kade|plein|"
    "rua|avenida|av\\.|travessa|largo|praça|rue|avenue|boulevard|bd|chemin|place|quai|via|"
    "viale|piazza|corso|vicolo|calle|carrer|paseo|camino|carretera|ulica|ul\\.|vul\\.|vulytsia|"
    "ulitsa|prospekt|pr\\.|odos|leoforos|caddesi|cad\\.|sokak|sok\\.|bulvarı|strada|bulevardul|"
    "utca|út|ut|körút|tér|gatan|vägen|gade|vej|katu|tie|street|road|avenue|salai|marg|nagar|"
    "rruga|jalan|jl\\.|calea|sokagi|-ro|-gil|-daero"
)
_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’\-]*"
_LOCALITY = (
    rf"(?:[A-Z]{{1,2}}-)?[0-9][0-9 \-]{{2,8}}[0-9](?:[ \t][A-Z]{{2}})?[ \t]+{_CAP}"
    rf"(?:[ \t]+(?:{_CAP}|de|del|la|am|an|[0-9]{{1,2}})){{0,3}}"  # 4050-262 Porto
    # La Sagne 2314
    rf"|{_CAP}(?:[ \t]+{_CAP}){{0,3}}(?:[ \t]+(?:[A-Z]{{1,2}}-)?[0-9][0-9\-]{{2,8}})?"
)
#: "Kirchstrasse 2, La Sagne 2314", "Rua das Flores 112, 4050-262 Porto", "Andrassy ut 41, ..."
NUMBER_LAST = (
    rf"(?<![\w.])(?!(?:Also|And|At|But|From|In|Of|Or|The|To|Then|Now)\b)(?:{_CAP}[ \t]+){{0,2}}"
    rf"(?:{_CAP}(?:{STREET_WORDS})|(?i:{STREET_WORDS}))"
    rf"(?:[ \t]+(?:{_CAP}|[a-z]{{1,3}})){{0,3}}[ \t]+(?:No\.?[ \t]*)?[0-9]{{1,5}}[a-zA-Z]?"
    rf",[ \t]*(?:{_LOCALITY})"
)
#: "12 Anna Salai, Chennai 600002", "2-14-5 Shibuya, Tokyo 150-0002", "House 7, Oxford Street"
NUMBER_FIRST = (
    rf"(?<![\w,])(?:(?:House|Flat|Villa|Block|Plot|Apt\.?|Apartment|Unit|Suite)[ \t]+"
    rf"[0-9]+[A-Z]?,[ \t]*(?:(?:Road|Sector|Block|Phase|Lane)[ \t]+[0-9]{{1,4}},[ \t]*)?"
    rf"(?:[0-9]{{1,4}}[A-Z]?[ \t]+)?|[0-9]{{1,4}}(?:-[0-9]{{1,4}}){{0,2}}[A-Z]?[ \t]+)"
    rf"{_CAP}(?:[ \t]+{_CAP}){{0,3}}"
    rf"(?:,[ \t]*{_CAP}(?:[ \t]+{_CAP}){{0,2}}){{1,3}}"
    rf"(?:[ \t]+(?:[A-Z]{{1,2}}-)?[0-9][0-9\-]{{3,8}})?"
)
_NOT_STREETS = (
    r"(?:Section|Article|Part|Schedule|Chapter|Regulation|Paragraph|Rule|Year|Room|Page|Case|"
    r"Clause|Level|Stage|Key|Table|Figure|Appendix|Annex|Item|Question|Week|Term|Unit)\b"
)
#: "Vodickova 36, 110 00 Praha 1": one street word, a house number, a postcode of digits.
NUMBER_LAST_BARE = (
    rf"(?<![\w.])(?!{_NOT_STREETS})[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’\-]{{3,}}[ \t]+[0-9]{{1,4}}[a-z]?,[ \t]*"
    rf"(?:[0-9]{{3}}[ \t]?[0-9]{{2}}|[0-9]{{4,6}})[ \t]+{_CAP}(?:[ \t]+[0-9]{{1,2}}\b)?"
)
#: What follows "lives at" or "Address:" up to the end of the clause, when it holds a number.
AFTER_CUE = (
    r"(?:(?<=\blives at )|(?<=\blives abroad at )|(?<=\bliving at )|(?<=\bresides at )|"
    r"(?<=\bAddress: )|(?<=\baddress: ))(?=[^.;\n]*[0-9])[A-Z0-9][^.;\n]{4,60}?"
    r"(?=[.;\n]|,?[ \t]+and[ \t]|$)"
)
POST_BOX_WORDS = (
    r"G\.?P\.?O\.?[ \t]?Box|P\.?[ \t]?O\.?[ \t]?Box|PO[ \t]Box|Post[ \t]?box|Postfach|Postbus|"
    r"Postafiók|Postafiok|Apartado|Casilla|Boîte[ \t]postale|B\.P\.|C\.P\.|P\.K\.|T\.K\.|"
    r"a/s|P\.d\.|Caixa[ \t]Postal|Skrytka[ \t]pocztowa|Kutia[ \t]Postare|Kotak[ \t]Pos|"
    r"Casella[ \t]Postale|Apdo\.|BP|a/ya|Sasoham"
)
#: "P.O. Box 104, Pituffik 3970", "Postfach 412, 8021 Zurich", "Casilla 1092, Santiago"
POST_BOX = (
    rf"(?<![\w])(?:(?:{POST_BOX_WORDS})[ \t]*[0-9]{{1,6}}(?:-[0-9]{{3,6}})?"
    rf"(?:,[ \t]*(?:{_LOCALITY}))?"
    # "Box 4021, 102 61 Stockholm": a bare "Box" only with a postcode and a town after it
    rf"|(?<![\w.])Box[ \t]+[0-9]{{1,6}},[ \t]*[0-9][0-9 ]{{2,8}}[0-9][ \t]+{_CAP})"
)

#: +41 79 123 45 67, +291 7 123 456, +852 9123 4567 (8 to 15 digits, ITU E.164).
INTERNATIONAL_PHONE = (
    r"(?<![\w+])\+[1-9][0-9]{0,2}(?:[ \-.]?(?:\([0-9]{1,5}\)|[0-9]{1,5})){2,6}(?![\w])"
)
#: A national number in brackets, as lists of contacts write it: "(027 123 9876)". The span
#: is the number inside; the brackets stay.
BRACKETED_PHONE = r"(?<=\()0[0-9]{1,4}[ \-][0-9]{3,4}[ \-]?[0-9]{3,4}(?=\))"

# Gates (see .gate): what every match of each pattern above holds.
#: The house number, a comma and the locality's first character (a digit or a capital).
NUMBER_LAST_GATE = r"[0-9][a-zA-Z]?,[ \t]*[0-9A-ZÀ-ÖØ-Þ]"
#: A post box word and its number, or "Box" and its number.
POST_BOX_GATE = rf"(?:{POST_BOX_WORDS})[ \t]*[0-9]|Box[ \t]+[0-9]"
#: The house number ("12 ", "House 7,") and, later on its line, the comma before the town.
NUMBER_FIRST_GATE = r"[0-9][A-Z]?[ \t,][^\n]*,"
#: The house number, a comma and the postcode's first digit.
NUMBER_LAST_BARE_GATE = r"[0-9][a-z]?,[ \t]*[0-9]"
#: The cue itself.
AFTER_CUE_GATE = r"(?:lives|lives abroad|living|resides) at |[Aa]ddress: "


class AbroadAddressRecognizer(PatternRecognizer):
    """Street addresses and post boxes outside the UK."""

    PATTERNS: list[Pattern] = [
        GatedPattern("Address, number last", NUMBER_LAST, 0.6, NUMBER_LAST_GATE),
        GatedPattern("Post box", POST_BOX, 0.6, POST_BOX_GATE),
        GatedPattern("Address, number first", NUMBER_FIRST, 0.4, NUMBER_FIRST_GATE),
        GatedPattern("Address, street and number", NUMBER_LAST_BARE, 0.5, NUMBER_LAST_BARE_GATE),
        GatedPattern("Address after a cue", AFTER_CUE, 0.5, AFTER_CUE_GATE),
    ]
    CONTEXT = ["address", "lives", "post", "abroad", "at"]

    def __init__(self, supported_entity: str = "STREET_ADDRESS") -> None:
        # Case matters: a street and a town are capitalised (presidio ignores case by default).
        super().__init__(supported_entity=supported_entity, patterns=self.PATTERNS,
                         context=self.CONTEXT, name="AbroadAddressRecognizer",
                         global_regex_flags=re.MULTILINE)  # fmt: skip

    def validate_result(self, pattern_text: str) -> bool:
        # Number first: a comma-separated place after a house number is an address only
        # when it has a locality with digits or three parts ("House 7, Oxford Street, Osu").
        if re.match(r"[0-9]|House|Flat|Villa|Block|Plot", pattern_text) and "," in pattern_text:
            parts = pattern_text.split(",")
            return len(parts) >= 3 or bool(re.search(r"[0-9]{3}", parts[-1]))
        return True


class AbroadPhoneRecognizer(PatternRecognizer):
    """Phone numbers with a country code, and national numbers written in brackets."""

    PATTERNS: list[Pattern] = [
        GatedPattern("International phone", INTERNATIONAL_PHONE, 0.6, r"\+[1-9]"),
        GatedPattern("Bracketed phone", BRACKETED_PHONE, 0.5, r"\(0[0-9]"),
    ]
    CONTEXT = ["phone", "tel", "mobile", "call", "reached", "whatsapp"]

    def __init__(self, supported_entity: str = "PHONE_NUMBER") -> None:
        super().__init__(supported_entity=supported_entity, patterns=self.PATTERNS,
                         context=self.CONTEXT, name="AbroadPhoneRecognizer")  # fmt: skip

    def validate_result(self, pattern_text: str) -> bool:
        digits = re.sub(r"\D", "", pattern_text)
        if pattern_text.startswith("+44"):
            return False  # a UK number: UkPhoneRecognizer checks its ranges
        return 8 <= len(digits) <= 15 if pattern_text.startswith("+") else 9 <= len(digits) <= 11
