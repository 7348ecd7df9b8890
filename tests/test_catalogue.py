"""The French catalogue is complete: every user-facing string has a translation and none is a fuzzy guess."""

from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def entries(text: str) -> list[str]:
    return [block for block in text.split("\n\n") if "msgid " in block and 'msgid ""\nmsgstr ""\n"Project' not in block]


def test_french_catalogue_has_no_fuzzy_entry():
    fuzzy = [block.splitlines()[-2] for block in entries(CATALOGUE.read_text()) if "#, fuzzy" in block]
    assert not fuzzy, fuzzy[:5]


def test_every_string_is_translated_to_french():
    untranslated = []
    for block in entries(CATALOGUE.read_text()):
        if block.lstrip().startswith("#~"):
            continue
        lines = block.splitlines()
        msgstrs = [i for i, line in enumerate(lines) if line.startswith("msgstr")]
        for index in msgstrs:
            value = lines[index].split(" ", 1)[1]
            continued = index + 1 < len(lines) and lines[index + 1].startswith('"')
            if value == '""' and not continued:
                untranslated.append(next(line for line in lines if line.startswith("msgid ")))
    assert not untranslated, untranslated[:5]
