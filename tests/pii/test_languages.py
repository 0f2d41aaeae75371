"""Language routing and the recognizers of the routed languages
(transforms/pii/routing.py, locales.py, recognizers/local.py), on the real
engine and on the recognizers alone."""

from dataclasses import replace

import pytest

from transforms.pii.config import RoutingConfig, load_pii_config
from transforms.pii.engine import PiiEngine
from transforms.pii.lexicon import Lexicon, faker_names
from transforms.pii.locales import locale_of
from transforms.pii.recognizers.local import (
    LocalGivenNameRecognizer,
    LocalNameCueRecognizer,
    LocalPhoneRecognizer,
)
from transforms.pii.routing import LanguageRouter


@pytest.fixture(scope="module")
def router():
    return LanguageRouter(RoutingConfig())


def spans(recognizer, text):
    return [text[start:end] for start, end, _, _ in recognizer.find(text)]


# -- routing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, language",
    [
        ("Kannst du mir bitte eine Einladung für das Sommerfest schreiben?", "de"),
        ("¿Puedes escribirme una invitación para la fiesta de verano?", "es"),
        ("Peux-tu m'écrire une invitation pour la fête de l'été ?", "fr"),
        ("Puoi scrivermi un invito per la festa d'estate in ufficio?", "it"),
        ("Kun je een uitnodiging voor het zomerfeest schrijven?", "nl"),
        ("Podes escrever-me um convite para a festa de verão?", "pt"),
        ("Can you write me an invitation for the summer party?", "en"),
    ],
)
def test_each_language_is_routed(router, text, language):
    assert router.language_of(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "Danke, Jonas!",  # too short to judge
        "ok",
        "Merci !",
        # English with foreign street names: no function word of the language
        "Mohmad R. Vizirov 23680 Parijsstraat 8 Apt. 026 Zoetermeer Netherlands 91196",
        "David lives on Rue Dielhère 130 street.",
        "Translate into German: I would like to book a table for two people tomorrow evening",
        "Compare Kubernetes Deployment YAML with Helm Charts",
    ],
)
def test_short_ambiguous_and_english_texts_stay_english(router, text):
    assert router.language_of(text) == "en"


def test_routing_off_or_other_languages_are_english():
    off = LanguageRouter(RoutingConfig(enabled=False))
    assert off.language_of("Kannst du mir bitte eine Einladung schreiben?") == "en"
    only_french = LanguageRouter(RoutingConfig(languages=("fr",)))
    assert only_french.language_of("Kannst du mir bitte eine Einladung schreiben?") == "en"


def test_unknown_routed_language_is_refused():
    with pytest.raises(ValueError, match="language_routing"):
        RoutingConfig(languages=("de", "xx"))


def test_english_detections_unchanged_by_routing(pii_engine):
    """The English path is the same with routing on and off."""
    english = [
        "My name is Tiffany Lopez, call me at (415) 867-5309 or tiffany.lopez@gmail.com.",
        "Compare Canva and Notion for a small team. Hi Samantha, thanks!",
        "Ship it to 216 Menzies Street, Portland, OR 97205. Regards, Ravil G Yefimov",
    ]
    config = load_pii_config()
    off = PiiEngine(replace(config, language_routing=RoutingConfig(enabled=False)))
    on = [
        [(r.start, r.end, r.entity_type, r.score) for r in d]
        for d in pii_engine.analyze_texts(english)
    ]
    without = [
        [(r.start, r.end, r.entity_type, r.score) for r in d] for d in off.analyze_texts(english)
    ]
    assert on == without
    assert all(on)


def test_a_german_message_is_not_read_by_the_english_model(found):
    text = (
        "Erkläre mir bitte, wie die Deutsche Bahn ihre Fahrpläne plant. Viele Grüße und "
        "danke für die Hilfe, das Team freut sich auf Ihre Antwort."
    )
    assert found(text) == []


def test_a_german_message_finds_its_people_and_numbers(found):
    text = (
        "Hallo Frau Brockmann, mein Name ist Jannik Oltmanns. Bitte rufen Sie mich unter "
        "Tel. 030 12345678 an oder schreiben Sie an jannik.oltmanns@web.de."
    )
    assert set(found(text)) >= {
        ("PERSON", "Brockmann"),
        ("PERSON", "Jannik Oltmanns"),
        ("PHONE_NUMBER", "030 12345678"),
        ("EMAIL_ADDRESS", "jannik.oltmanns@web.de"),
    }


def test_a_cue_name_recurs_in_the_conversation(pii_engine):
    texts = [
        "Hola, me llamo Xiomara Quispe y necesito ayuda con una carta de presentación.",
        "Claro, Xiomara. ¿Para qué puesto es la carta de presentación que necesitas?",
    ]
    final = pii_engine.detect(texts, pii_engine.analyze_texts(texts))
    assert "Xiomara" in [texts[1][r.start : r.end] for r in final[1]]


# -- names after cues ------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, text, name",
    [
        ("de", "Mein Name ist Okonkwo Adebayo und ich suche eine Wohnung.", "Okonkwo Adebayo"),
        ("de", "Ich heiße Wiebke, wie geht es dir?", "Wiebke"),
        ("de", "Kannst du die Mail kürzen?\n\nViele Grüße,\nHauke", "Hauke"),
        ("de", "Bitte schreib Herrn Terhorst, dass es später wird.", "Terhorst"),
        ("es", "Hola, me llamo Thandiwe Mbatha y busco trabajo.", "Thandiwe Mbatha"),
        ("es", "Escribe a la Sra. Etxeberria para confirmar la cita.", "Etxeberria"),
        ("es", "¿Puedes decirle a Gorka que llego tarde?", "Gorka"),
        ("fr", "Bonjour, je m'appelle Gwenaël Kerjean et je cherche un stage.", "Gwenaël Kerjean"),
        ("fr", "Peux-tu raccourcir ce texte ?\n\nCordialement,\nSolène", "Solène"),
        ("it", "Ciao, mi chiamo Siosaia Taufa e vorrei un consiglio.", "Siosaia Taufa"),
        ("it", "Scrivi alla Dott.ssa Brambilla per l'appuntamento.", "Brambilla"),
        ("nl", "Hallo, ik heet Sanne de Vries en ik zoek werk.", "Sanne de Vries"),
        ("nl", "Schrijf een mail aan mevrouw Terpstra over de factuur.", "Terpstra"),
        ("pt", "Olá, o meu nome é Gonçalo Vasconcelos e preciso de ajuda.", "Gonçalo Vasconcelos"),
        ("pt", "Chamo-me Kalinda Warrick, podes rever a carta?", "Kalinda Warrick"),
    ],
)
def test_names_after_cues(language, text, name):
    assert name in spans(LocalNameCueRecognizer(language), text)


@pytest.mark.parametrize(
    "language, text",
    [
        ("de", "Hallo zusammen, wer hat Zeit?"),
        ("de", "Viele Grüße,\nIhr Kundenservice"),
        ("de", "Sehr geehrte Damen und Herren, ich bitte um Rückruf."),
        ("de", "Ich bin Arzt und arbeite in Hamburg."),
        ("de", "Der Herr der Ringe ist mein Lieblingsbuch."),
        ("es", "Hola a todos, ¿quién puede ayudarme?"),
        ("es", "Saludos,\nEl equipo de soporte"),
        ("fr", "Cordialement,\nLe service client"),
        ("it", "Ciao a tutti, chi può aiutarmi?"),
        ("nl", "Met vriendelijke groet,\nHet klantenteam"),
        ("pt", "Olá a todos, alguém me pode ajudar?"),
    ],
)
def test_cues_without_a_name(language, text):
    assert spans(LocalNameCueRecognizer(language), text) == []


# -- given names from the lexicon -------------------------------------------------------


@pytest.mark.parametrize(
    "language, text, name",
    [
        ("de", "Kannst du bitte Henrike sagen, dass es später wird?", "Henrike"),
        ("de", "Gestern hat Malte Kröger die Präsentation gehalten.", "Malte Kröger"),
        ("fr", "Peux-tu dire à Clémence que la réunion est déplacée ?", "Clémence"),
        ("nl", "Gisteren heeft Femke Bakker het project gepresenteerd.", "Femke Bakker"),
        ("pt", "Ontem a Beatriz Carvalho apresentou o projeto.", "Beatriz Carvalho"),
    ],
)
def test_given_names(language, text, name):
    assert name in spans(LocalGivenNameRecognizer(language), text)


@pytest.mark.parametrize(
    "language, text",
    [
        ("de", "Ich habe meiner Mutter eine Rose gekauft."),  # a noun after an article
        ("de", "Im August fahren wir an die Ostsee."),  # a month
        ("es", "Santa María del Mar es una iglesia gótica."),  # a saint before it
        ("es", "La Paz es la sede del gobierno de Bolivia."),  # a sentence's start
        ("fr", "Résume l'article sur la transition énergétique en France."),  # a place
        ("it", "Santa Maria Novella è una basilica di Firenze."),
    ],
)
def test_given_name_lookalikes(language, text):
    assert spans(LocalGivenNameRecognizer(language), text) == []


# -- phone numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, text, number",
    [
        ("de", "Meine Handynummer ist 0171 2345678.", "0171 2345678"),
        ("de", "Tel. 0171/2345678", "0171/2345678"),
        ("es", "Mi móvil es el 612 34 56 78, llámame.", "612 34 56 78"),
        ("fr", "Mon portable : 06 12 34 56 78", "06 12 34 56 78"),
        ("fr", "Rappelle-moi au 06 12 34 56 78 ce soir.", "06 12 34 56 78"),  # its shape alone
        ("it", "Il mio cellulare è 347 123 4567.", "347 123 4567"),
        ("nl", "Mijn mobiele nummer is 06-12345678.", "06-12345678"),
        ("pt", "O meu telemóvel é 912 345 678.", "912 345 678"),
        ("pt", "Liga para o meu celular (11) 98765-4321.", "(11) 98765-4321"),
    ],
)
def test_local_phone_numbers(language, text, number):
    assert number in spans(LocalPhoneRecognizer(language), text)


@pytest.mark.parametrize(
    "language, text",
    [
        ("de", "Die Bestellung 4711 kostet 129,90 Euro und kommt am 12.05.2024."),
        ("de", "Version 3.12.1 ist seit 2023 verfügbar, Build 20231002."),
        ("es", "El pedido 612345678 llegó ayer."),  # a mobile's shape, no phone word
        ("fr", "La facture n° 2024-0042 est de 1 250 euros."),
        ("it", "Il codice del prodotto è 347123 e costa 45 euro."),
        ("nl", "Het telefoonnummer staat op de website."),
    ],
)
def test_phone_lookalikes(language, text):
    assert spans(LocalPhoneRecognizer(language), text) == []


# -- the locales' word lists ----------------------------------------------------------


def test_locales_hold_names_and_ordinary_words():
    german = locale_of("de")
    assert "Henrike" in german.given and german.ordinary_word("Baum")
    assert german.ordinary_word("und") and german.ordinary_word("August")
    spanish = locale_of("es")
    assert "Carlos" in spanish.given and not spanish.ordinary_word("Carlos")
    assert spanish.phone_regions[0] == "ES" and "BR" in locale_of("pt").phone_regions


@pytest.fixture(scope="module")
def all_locales():
    given, family = faker_names()
    return Lexicon(given, family)


@pytest.mark.parametrize(
    "language, text, name",
    [
        # A given name of another locale's list, then a capitalised word that is no
        # ordinary word; a sentence's first word (an adverb) before it is left out.
        ("it", "Ieri Ruggero Mantovani ha firmato il contratto.", "Ruggero Mantovani"),
        ("es", "Ayer Nerea Goikoetxea presentó el informe.", "Nerea Goikoetxea"),
    ],
)
def test_full_names_of_any_locale(all_locales, language, text, name):
    recognizer = LocalGivenNameRecognizer(language, lexicon=all_locales)
    assert spans(recognizer, text) == [name]


@pytest.mark.parametrize(
    "language, text",
    [
        ("it", "La Stella Maris è salpata da Genova."),  # after an article: a thing
        ("it", "San Marco Evangelista è una chiesa."),  # a saint
        ("es", "La Rosa Blanca es un grupo de música."),
        ("it", "Ieri Svetlana ha firmato."),  # another locale's given name alone: not enough
    ],
)
def test_full_names_of_any_locale_lookalikes(all_locales, language, text):
    assert spans(LocalGivenNameRecognizer(language, lexicon=all_locales), text) == []


def test_stop_words_are_spacys_without_importing_the_language_package():
    """A routed language's stop words are spaCy's own list, read without
    importing ``spacy.lang.<code>`` (whose tokenizer exceptions take seconds
    to compile in every worker); checked in a fresh interpreter."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from transforms.pii.locales import locale_of, stop_words\n"
        "from transforms.pii.routing import own_function_words\n"
        "locale_of('fr'); own_function_words('fr', 'en')\n"
        "assert 'spacy.lang.fr' not in sys.modules, 'spacy.lang.fr imported'\n"
        "from spacy.lang.fr.stop_words import STOP_WORDS\n"
        "assert stop_words('fr') == frozenset(w.lower() for w in STOP_WORDS)\n"
        "assert 'avec' in stop_words('fr') and 'und' in stop_words('de')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
