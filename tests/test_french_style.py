"""The French catalogue follows the house style (docs/french-style.md).

A French message has no point médian, no straight apostrophe in its text, a no-break space before
: ; ? ! % » and after «, and is never empty. HTML tags and attributes, <code> samples, placeholders
and URLs are left out of the checks: they are not French text.
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "fr" / "LC_MESSAGES" / "django.po"

NBSP = "\u00a0"  # no-break space (the house choice)
NNBSP = "\u202f"  # narrow no-break space, also accepted
NO_BREAK = NBSP + NNBSP


@dataclass
class Entry:
    lineno: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None


def parse_po(text: str) -> list[Entry]:
    """A small reader for the subset of the PO format that makemessages writes (obsolete #~ entries skipped)."""
    entries: list[Entry] = []
    current: Entry | None = None
    flags: set[str] = set()
    target: tuple[str, int] | None = None
    keyword = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#~"):
            target = None
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = keyword.match(line)
        if match:
            name, index, value = match.group(1), match.group(2), ast.literal_eval(match.group(3))
            if name in ("msgctxt", "msgid") and (current is None or current.msgstr):
                current = Entry(lineno=lineno, flags=flags)
                entries.append(current)
                flags = set()
            if name == "msgstr":
                target = ("msgstr", int(index or 0))
                current.msgstr[target[1]] = value
            else:
                target = (name, 0)
                setattr(current, name, value)
            continue
        if line.startswith('"') and current is not None and target is not None:
            value = ast.literal_eval(line)
            if target[0] == "msgstr":
                current.msgstr[target[1]] += value
            else:
                setattr(current, target[0], getattr(current, target[0]) + value)
            continue
        raise ValueError(f"line {lineno}: cannot read {line!r}")
    return entries


# Parts of a message that are not French text: a <code> sample, an HTML tag with its attributes, an
# entity, a placeholder (%(name)s, %s, {name}) and a URL.
NOT_TEXT = re.compile(r"<code>.*?</code>|<[^>]*>|&#?\w+;|%\(\w+\)[sdfi]|%[sdfi]|\{[^{}]*\}|https?://\S+", re.S)
# A placeholder is replaced by this word character, so that "%(n)s?" is checked like "3?".
HOLE = "\ue000"


def french_text(message: str, python_format: bool) -> str:
    """The message with what is not French text taken out (a placeholder becomes HOLE)."""
    if python_format:
        message = message.replace("%%", "%")

    def replace(match: re.Match) -> str:
        part = match.group(0)
        if part.startswith(("%", "{")):
            return HOLE
        return NBSP if part in ("&nbsp;", "&#160;") else ""

    return NOT_TEXT.sub(replace, message)


def _is_number(char: str) -> bool:
    return char.isdigit() or char == HOLE


def style_problems(message: str, python_format: bool = False) -> list[str]:
    """What breaks the house style in one French message, in words."""
    text = french_text(message, python_format)
    problems = []
    if "·" in message:
        problems.append("point médian (use a doublet or an epicene word)")
    if "'" in text:
        problems.append("straight apostrophe (use ’)")
    for position, char in enumerate(text):
        before = text[position - 1] if position else ""
        after = text[position + 1] if position + 1 < len(text) else ""
        if char in ":;?!»" and position and before not in NO_BREAK:
            if char == ":" and before.isdigit() and after.isdigit():
                continue  # a time of day, 10:30
            problems.append(f"no no-break space before {char!r}")
        elif char == "%" and (
            _is_number(before) or (before == " " and position > 1 and _is_number(text[position - 2]))
        ):
            problems.append("no no-break space before '%'")
        elif char == "«" and after not in NO_BREAK:
            problems.append("no no-break space after '«'")
    return problems


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    entries = parse_po(CATALOGUE.read_text(encoding="utf-8"))
    # The checks below would pass on an empty list: make sure the catalogue was read.
    assert len(entries) > 1000
    assert entries[0].is_header
    return entries


def translations(catalogue: list[Entry]):
    for entry in catalogue:
        if entry.is_header:
            continue
        for index, message in sorted(entry.msgstr.items()):
            yield entry, index, message


def report(found: list[str]) -> str:
    return f"{len(found)} French message(s) break docs/french-style.md:\n" + "\n".join(found[:40])


def test_every_french_message_is_translated(catalogue):
    empty = [f"line {e.lineno}: {e.msgid!r} [{i}]" for e, i, message in translations(catalogue) if not message.strip()]
    assert not empty, report(empty)


def test_no_point_median_in_french(catalogue):
    found = [f"line {e.lineno}: {message!r}" for e, _, message in translations(catalogue) if "·" in message]
    assert not found, report(found)


def test_no_straight_apostrophe_in_french_text(catalogue):
    found = [
        f"line {e.lineno}: {message!r}"
        for e, _, message in translations(catalogue)
        if "'" in french_text(message, "python-format" in e.flags)
    ]
    assert not found, report(found)


def test_no_break_space_around_high_punctuation_and_guillemets(catalogue):
    found = []
    for entry, _, message in translations(catalogue):
        problems = [p for p in style_problems(message, "python-format" in entry.flags) if "space" in p]
        if problems:
            found.append(f"line {entry.lineno}: {sorted(set(problems))} in {message!r}")
    assert not found, report(found)


# The rules themselves, on small samples, so that a green catalogue means what it says.


@pytest.mark.parametrize(
    "message",
    [
        "Une entente signée ne se modifie pas\u00a0: son texte change par un avenant.",
        "Retirer ce point de l’ordre du jour\u00a0?",
        "La rencontre de l’instance «\u00a0%(instance)s\u00a0» est annulée\u00a0!",
        "Plus de %(t)s\u00a0%% des personnes votantes\u202f; la rencontre commence à 10:30.",
        "Transmettez-le dans l’en-tête <code>Authorization: Bearer &lt;jeton&gt;</code>.",
        "Voir <a href='https://exemple.qc.ca/?page=2'>la page</a> ou https://exemple.qc.ca/a:b?c=d",
        "seuil d’adhésion (%)",
        "Les personnes votantes, délégué ou déléguée",
    ],
)
def test_style_accepts_well_written_french(message):
    assert style_problems(message, python_format=True) == []


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        ("Les délégué·es votent.", "point médian (use a doublet or an epicene word)"),
        ("Retirer ce point de l'ordre du jour\u00a0?", "straight apostrophe (use ’)"),
        ("Une entente signée ne se modifie pas : son texte change.", "no no-break space before ':'"),
        ("Créer une nouvelle adresse?", "no no-break space before '?'"),
        ("Le fichier est trop volumineux (%(size)s); la limite est atteinte.", "no no-break space before ';'"),
        ("Annuler\u00a0? Oui!", "no no-break space before '!'"),
        ("La rencontre «\u00a0%(instance)s »", "no no-break space before '»'"),
        ("La rencontre « %(instance)s\u00a0»", "no no-break space after '«'"),
        ("Plus de %(t)s %% des voix", "no no-break space before '%'"),
        ("Plus de 10% des voix", "no no-break space before '%'"),
    ],
)
def test_style_flags_each_broken_rule(message, problem):
    assert problem in style_problems(message, python_format=True)


def test_parser_reads_multiline_plural_and_context_entries():
    text = (
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        '#, python-format\nmsgid "%(n)s day"\nmsgid_plural "%(n)s days"\nmsgstr[0] "%(n)s jour"\n'
        'msgstr[1] ""\n"%(n)s "\n"jours"\n\n'
        'msgctxt "tie"\nmsgid "Strength"\nmsgstr "Force"\n\n'
        '#~ msgid "Old"\n#~ msgstr "Ancien"\n'
    )
    header, plural, with_context = parse_po(text)
    assert header.is_header
    assert plural.msgstr == {0: "%(n)s jour", 1: "%(n)s jours"} and "python-format" in plural.flags
    assert (with_context.msgctxt, with_context.msgstr) == ("tie", {0: "Force"})
