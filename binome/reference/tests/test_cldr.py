"""Languages, countries, lists and sectors named in the reader's language, from CLDR."""

from binome.core import vocab
from binome.reference import geography, languages


def test_languages_are_named_in_the_readers_language_never_in_english_on_arabic_pages():
    assert languages.language_name("uk", "ar") == "الأوكرانية"
    assert languages.language_name("prs", "ar") == "الدارية"  # Dari, under CLDR's fa_AF
    assert languages.language_name("ti", "uk") == "тигринья"
    assert languages.language_name("ps", "fr") == "pachto"
    for code, name in languages.language_choices("ar"):
        assert not name.isascii(), (code, name)


def test_names_are_sorted_in_the_readers_alphabet():
    french = [name for _code, name in languages.language_choices("fr")]
    # Accents second: "éwé" (or any é) sorts among the e's, not after z.
    assert french == sorted(french, key=lambda n: languages.collation_key(n, "fr"))
    assert french.index("espagnol") < french.index("grec") < french.index("italien")
    ukrainian = [name for _code, name in languages.language_choices("uk")]
    # Ukrainian і comes after и, not after я as its code point would put it.
    assert ukrainian.index("італійська") < ukrainian.index("китайська")
    assert ukrainian == sorted(ukrainian, key=lambda n: languages.collation_key(n, "uk"))


def test_the_full_list_puts_the_programmes_languages_first():
    names = languages.all_language_choices("fr", first=["ar", "fr"])
    assert names[:2] == [("ar", "arabe"), ("fr", "français")]
    assert len(names) > 5000
    assert "grc" not in {code for code, _name in names}  # ancient Greek: nobody speaks it today


def test_lists_join_as_the_reader_writes_them():
    assert languages.format_list(["A", "B", "C"], "fr") == "A, B et C"
    assert languages.format_list(["A", "B", "C"], "en") == "A, B, and C"
    assert languages.format_list(["أ", "ب", "ج"], "ar") == "أ، ب وج"
    assert languages.format_list(["A", "B"], "uk") == "A і B"


def test_countries_and_territories_are_named_by_cldr():
    assert geography.country_name("SY", "fr") == "Syrie"
    assert geography.country_name("UA", "ar") == "أوكرانيا"
    assert geography.country_name("PS", "uk") == "Палестинські території"


def test_a_sector_is_named_by_its_finest_known_group_never_by_its_bare_code():
    assert vocab.isco_label("2221") == str(vocab.ISCO["22"])
    assert vocab.isco_label("9") == str(vocab.ISCO["9"])
    assert vocab.isco_label("") == ""


def test_a_language_typed_by_its_name_its_code_or_its_english_name_is_read_back_to_its_code():
    assert languages.code_for_name("العربية", "ar") == "ar"
    assert languages.code_for_name("  Arabe ", "fr") == "ar"
    assert languages.code_for_name("українська", "uk") == "uk"
    assert languages.code_for_name("prs", "fr") == "prs"
    assert languages.code_for_name("Tigrinya", "ar") == "ti"
    assert languages.code_for_name("klingon of mars", "fr") is None


def test_the_picker_suggests_the_programmes_languages_first_then_every_cldr_name():
    choices = languages.picker_choices("ar", first=["prs", "ti"])
    assert choices[:2] == [("prs", "الدارية"), ("ti", "التغرينية")]
    assert len(choices) > 300
    assert len({code for code, _name in choices}) == len(choices)
