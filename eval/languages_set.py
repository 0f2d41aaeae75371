"""German, Spanish, French, Italian, Dutch and Portuguese messages: a labelled
set per language from a seeded generator (no other randomness), a clean half
and a personal half.

- Clean half (:data:`CLEAN`, written by hand): ordinary requests with
  capitalised nouns (every German noun), sign-offs and greetings without a
  name ("Viele Grüße", "Hola a todos"), requests that start with a verb,
  products, companies, places and works, nouns that are also given names
  ("die Rose", "la Paz", "Santa Maria"), prices, versions and dates. Scored
  as the share of characters redacted.
- Personal half (:func:`personal_cases`): names after the language's cues,
  titles, greetings, sign-offs and relation words, and without any cue
  (a full name, a given name inside a sentence); national phone numbers
  after the language's phone words, e-mail addresses, IBANs of the country,
  national ids with valid checksums after their names, postal addresses in
  the local format. Scored as recall per type.

The people's names are the set's own (:data:`NAMES`), written for it and not
drawn from the recognizers' lexicon; some are in Faker's lists and some are
not (names from elsewhere, found only through their cues: :data:`FOREIGN`).
Phone numbers are random digits in national shapes kept when libphonenumber
finds them valid; ids and IBANs random digits kept when their checksum holds.
"""

from __future__ import annotations

import random
import string

import phonenumbers

from eval.chat_set import compose
from eval.identifiers_set import Gen, _cf, _cpf, _nir
from transforms.pii.recognizers import identity
from transforms.pii.recognizers.numbers import iban_valid

SEED = 3131
LANGUAGES = ("de", "es", "fr", "it", "nl", "pt")
P, PH, E, IB, ID, A = (
    "PERSON",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "IBAN_CODE",
    "NATIONAL_ID",
    "STREET_ADDRESS",
)
FORMAT_TYPES = (PH, E, IB, ID, A)
TYPES = (P, *FORMAT_TYPES)

# (given names, surnames) per language, the set's own.
NAMES = {
    "de": (
        "Henrike Jannik Wiebke Malte Frauke Ole Svenja Torben Insa Hauke Mareike Lennart Gesa",
        "Brockmann Oltmanns Hinrichsen Terhorst Wübbena Kröger Dierks Asmussen Lüders Meinert "
        "Harms Vosskuhl Janssen",
    ),
    "es": (
        "Ainhoa Iker Nerea Unai Itziar Xabier Maite Gorka Yolanda Rocío Begoña Asier Leire",
        "Etxeberria Urrutia Garmendia Olazábal Quintana Arrieta Zubizarreta Iturbe Larrañaga "
        "Sarasola Azcárate Echegaray Goikoetxea",
    ),
    "fr": (
        "Maëlys Gwenaël Solène Corentin Aurélie Loïc Ségolène Maxence Clémence Tanguy Bérénice "
        "Yann Perrine",
        "Kerjean Morvan Quéré Lebrun Guillou Riou Jaouen Prigent Cadiou Nédélec Gourvennec "
        "Kervella Le Bihan",
    ),
    "it": (
        "Ludovica Tancredi Ginevra Ettore Benedetta Ruggero Ottavia Gualtiero Costanza Lapo "
        "Ilaria Corrado Amedeo",
        "Brambilla Castiglioni Fumagalli Tagliabue Zanetti Bonfanti Locatelli Pedrazzini Crippa "
        "Rigamonti Galimberti Mapelli Sormani",
    ),
    "nl": (
        "Sanne Joost Femke Wouter Maartje Sjoerd Lieke Bram Marloes Gijs Noor Ruud Jikke",
        "Bakker Visser Smit Meijer Mulder Dekker Hoekstra Brouwer Kuipers Veenstra Zwart "
        "Postma Terpstra",
    ),
    "pt": (
        "Inês Tiago Beatriz Gonçalo Leonor Duarte Matilde Rodrigo Carolina Afonso Mariana "
        "Tomás Joana",
        "Carvalho Figueiredo Magalhães Sousa Pinheiro Teixeira Vasconcelos Nogueira Barbosa "
        "Cardoso Lacerda Quintela Valente",
    ),
}
# Names from elsewhere, in no lexicon of the language: found only through cues.
FOREIGN = (
    "Chidinma Okonkwo",
    "Thandiwe Mbatha",
    "Aigerim Nurlanovna",
    "Siosaia Taufa",
    "Oyelaran Adebayo",
    "Tuyết Nhung",
    "Kalinda Warrick",
    "Nalesoni Vaipulu",
)

# Per language: (explicit cue, title, greeting, sign-off, relation) templates
# with {n} for the name, and sentences with a name but no cue ({n}).
CUED = {
    "de": (
        "Hallo, mein Name ist {n} und ich brauche Hilfe bei meiner Steuererklärung.",
        "Ich heiße {n}. Kannst du mir einen Lebenslauf schreiben?",
        "Bitte schreib eine Antwort an Frau {s}, die nach dem Angebot gefragt hat.",
        "Formuliere eine Einladung an Herrn {s} für das Meeting am Montag.",
        "Hallo {g}, danke für die schnelle Rückmeldung zum Projekt!",
        "Kannst du diese Mail kürzen?\n\nViele Grüße,\n{n}",
        "Meine Schwester {g} hat nächste Woche Geburtstag, hast du Geschenkideen?",
        "Mit freundlichen Grüßen\n{n}",
    ),
    "es": (
        "Hola, me llamo {n} y necesito ayuda con mi currículum.",
        "Mi nombre es {n}, ¿puedes revisar esta carta de presentación?",
        "Escribe un correo a la Sra. {s} para confirmar la reunión del jueves.",
        "Prepara una respuesta para el Sr. {s} sobre la factura pendiente.",
        "Hola {g}, gracias por enviarme el informe tan rápido.",
        "¿Puedes mejorar este mensaje?\n\nSaludos,\n{n}",
        "Mi hermana {g} se casa en junio y quiero escribirle un discurso.",
        "Atentamente,\n{n}",
    ),
    "fr": (
        "Bonjour, je m'appelle {n} et je cherche un stage en informatique.",
        "Mon nom est {n}, pouvez-vous corriger ma lettre de motivation ?",
        "Rédige un courriel à Mme {s} pour confirmer le rendez-vous de jeudi.",
        "Prépare une réponse polie à M. {s} au sujet de la facture.",
        "Bonjour {g}, merci pour ton message d'hier soir !",
        "Peux-tu raccourcir ce texte ?\n\nCordialement,\n{n}",
        "Ma sœur {g} fête ses trente ans samedi, une idée de cadeau ?",
        "Bien à vous,\n{n}",
    ),
    "it": (
        "Ciao, mi chiamo {n} e vorrei migliorare il mio curriculum.",
        "Il mio nome è {n}, puoi correggere questa lettera?",
        "Scrivi una mail alla Dott.ssa {s} per spostare l'appuntamento di giovedì.",
        "Prepara una risposta cortese per il Sig. {s} riguardo alla fattura.",
        "Ciao {g}, grazie per avermi mandato il documento così presto!",
        "Puoi accorciare questo testo?\n\nCordiali saluti,\n{n}",
        "Mia sorella {g} si sposa a giugno e vorrei scriverle un discorso.",
        "Distinti saluti,\n{n}",
    ),
    "nl": (
        "Hallo, ik heet {n} en ik zoek hulp bij mijn sollicitatiebrief.",
        "Mijn naam is {n}, kun je deze tekst nakijken?",
        "Schrijf een e-mail aan mevrouw {s} om de afspraak van donderdag te bevestigen.",
        "Stel een beleefd antwoord op voor Dhr. {s} over de openstaande factuur.",
        "Hoi {g}, bedankt voor je snelle reactie op het voorstel!",
        "Kun je dit bericht korter maken?\n\nMet vriendelijke groet,\n{n}",
        "Mijn zus {g} wordt volgende week dertig, heb je cadeau-ideeën?",
        "Groeten,\n{n}",
    ),
    "pt": (
        "Olá, o meu nome é {n} e preciso de ajuda com o meu currículo.",
        "Chamo-me {n}, podes rever esta carta de apresentação?",
        "Escreve um email à Sra. {s} a confirmar a reunião de quinta-feira.",
        "Prepara uma resposta educada para o Dr. {s} sobre a fatura em atraso.",
        "Olá {g}, obrigado por me enviares o relatório tão depressa!",
        "Podes melhorar esta mensagem?\n\nAtenciosamente,\n{n}",
        "A minha irmã {g} faz anos na próxima semana, tens ideias de presentes?",
        "Cumprimentos,\n{n}",
    ),
}
UNCUED = {
    "de": (
        "Kannst du bitte {g} sagen, dass die Besprechung auf Donnerstag verschoben wurde?",
        "Gestern hat {n} die Präsentation vor dem ganzen Vorstand gehalten.",
        "Schreib eine kurze Notiz, dass ich mit {g} über das Budget gesprochen habe.",
    ),
    "es": (
        "¿Puedes decirle a {g} que la reunión se ha movido al jueves?",
        "Ayer {n} presentó el proyecto delante de todo el comité.",
        "Escribe una nota diciendo que hablé con {g} sobre el presupuesto.",
    ),
    "fr": (
        "Peux-tu dire à {g} que la réunion est déplacée à jeudi ?",
        "Hier, {n} a présenté le projet devant tout le comité.",
        "Écris une note pour dire que j'ai parlé du budget avec {g} ce matin.",
    ),
    "it": (
        "Puoi dire a {g} che la riunione è stata spostata a giovedì?",
        "Ieri {n} ha presentato il progetto davanti a tutto il comitato.",
        "Scrivi una nota per dire che ho parlato con {g} del budget.",
    ),
    "nl": (
        "Kun je tegen {g} zeggen dat de vergadering naar donderdag is verplaatst?",
        "Gisteren heeft {n} het project aan de hele directie gepresenteerd.",
        "Schrijf een korte notitie dat ik met {g} over het budget heb gesproken.",
    ),
    "pt": (
        "Podes dizer ao {g} que a reunião passou para quinta-feira?",
        "Ontem a {n} apresentou o projeto a toda a comissão.",
        "Escreve uma nota a dizer que falei com a {g} sobre o orçamento.",
    ),
}
# Phone words and national shapes ("d" a random digit), with the region.
PHONES = {
    "de": (
        ("Meine Handynummer ist ", "DE", ("01dd dddddddd", "01dd/ddddddd")),
        ("Ruf mich an, Tel. ", "DE", ("030 dddddddd", "089 ddd dddd")),
    ),
    "es": (
        ("Mi móvil es el ", "ES", ("6dd ddd ddd", "6dd dd dd dd")),
        ("Llámame al teléfono ", "ES", ("91d ddd ddd", "93d dd dd dd")),
    ),
    "fr": (
        ("Mon portable : ", "FR", ("06 dd dd dd dd", "07 dd dd dd dd")),
        ("Appelez-moi au ", "FR", ("01 dd dd dd dd", "04.dd.dd.dd.dd")),
    ),
    "it": (
        ("Il mio cellulare è ", "IT", ("3dd ddd dddd", "3dd ddddddd")),
        ("Chiamami al telefono fisso ", "IT", ("06 dddd dddd", "02 dddd dddd")),
    ),
    "nl": (
        ("Mijn mobiele nummer is ", "NL", ("06-dddddddd", "06 dd dd dd dd")),
        ("Bel me op telefoonnummer ", "NL", ("020 ddd dddd", "010-ddd dddd")),
    ),
    "pt": (
        ("O meu telemóvel é ", "PT", ("9dd ddd ddd", "9dd dddddd")),
        ("Liga para o meu celular ", "BR", ("(11) 9dddd-dddd", "(21) 9dddd-dddd")),
    ),
}
PHONE_ENDINGS = {
    "de": ", ich bin ab 18 Uhr erreichbar.",
    "es": ", estoy disponible por la tarde.",
    "fr": ", je suis joignable après 18 h.",
    "it": ", sono raggiungibile dopo le 18.",
    "nl": ", ik ben na zes uur bereikbaar.",
    "pt": ", estou disponível à tarde.",
}
# (sentence before, address shapes with {street} {n} {code} {city}, streets, places)
ADDRESSES = {
    "de": (
        "Bitte schick die Unterlagen an ",
        ("{street} {n}, {code} {city}",),
        ("Lindenstraße", "Birkenweg", "Hauptstr.", "Schillerstraße", "Am Mühlbach", "Eichenallee"),
        (("10115", "Berlin"), ("50667", "Köln"), ("80331", "München"), ("20095", "Hamburg")),
    ),
    "es": (
        "Envía el paquete a ",
        ("{street} {n}, {code} {city}",),
        (
            "Calle Mayor",
            "Calle de Alcalá",
            "Avenida de la Constitución",
            "Plaza de España",
            "C/ Real",
        ),
        (("28013", "Madrid"), ("41001", "Sevilla"), ("46002", "Valencia"), ("08002", "Barcelona")),
    ),
    "fr": (
        "Envoyez le colis au ",
        ("{n} {street}, {code} {city}",),
        ("rue de la Paix", "avenue Jean Jaurès", "boulevard Saint-Michel", "rue des Lilas"),
        (("75002", "Paris"), ("69007", "Lyon"), ("13001", "Marseille"), ("31000", "Toulouse")),
    ),
    "it": (
        "Spedisci il pacco a ",
        ("{street} {n}, {code} {city}",),
        ("Via Roma", "Piazza Garibaldi", "Corso Buenos Aires", "Viale Europa", "Via dei Mille"),
        (("00184", "Roma"), ("80142", "Napoli"), ("20124", "Milano"), ("50126", "Firenze")),
    ),
    "nl": (
        "Stuur het pakket naar ",
        ("{street} {n}, {code} {city}",),
        ("Kerkstraat", "Dorpsweg", "Oudegracht", "Stationsplein", "Molenlaan"),
        (("1017 GC", "Amsterdam"), ("3011 AB", "Rotterdam"), ("3511 AZ", "Utrecht")),
    ),
    "pt": (
        "Envia a encomenda para ",
        ("{street} {n}, {code} {city}",),
        ("Rua Augusta", "Avenida da Liberdade", "Rua de Santa Catarina", "Travessa do Carmo"),
        (("1100-053", "Lisboa"), ("4000-447", "Porto"), ("01310-200", "São Paulo")),
    ),
}
ADDRESS_ENDINGS = {
    "de": ". Danke!",
    "es": ", por favor.",
    "fr": ", merci.",
    "it": ", grazie.",
    "nl": ", alvast bedankt.",
    "pt": ", obrigado.",
}
# (sentence before an e-mail address, before an IBAN, country of the IBAN)
MONEY = {
    "de": ("Schreib mir an ", "Überweise den Betrag bitte auf mein Konto, IBAN ", "DE"),
    "es": ("Escríbeme a ", "Haz la transferencia a mi cuenta, IBAN ", "ES"),
    "fr": ("Écrivez-moi à ", "Faites le virement sur mon compte, IBAN ", "FR"),
    "it": ("Scrivimi a ", "Fai il bonifico sul mio conto, IBAN ", "IT"),
    "nl": ("Mail me op ", "Maak het bedrag over naar mijn rekening, IBAN ", "NL"),
    "pt": ("Escreve-me para ", "Faz a transferência para a minha conta, IBAN ", "PT"),
}
IBAN_BODY = {"DE": "d" * 18, "ES": "d" * 20, "FR": "d" * 23, "IT": "L" + "d" * 22,
             "NL": "LLLL" + "d" * 10, "PT": "d" * 21}  # fmt: skip
EMAIL_DOMAINS = {
    "de": ("web.de", "gmx.de", "t-online.de"),
    "es": ("gmail.com", "hotmail.es", "telefonica.net"),
    "fr": ("orange.fr", "free.fr", "laposte.net"),
    "it": ("libero.it", "tiscali.it", "gmail.com"),
    "nl": ("ziggo.nl", "kpnmail.nl", "hotmail.nl"),
    "pt": ("sapo.pt", "gmail.com", "uol.com.br"),
}


def _national_ids(g: Gen) -> dict:
    """(sentence before, value) makers per language; values pass their checksum."""
    i = identity

    def steuer() -> str:
        return g.valid(lambda: g.pick("123456789") + g.digits(10), i.de_tax_id)

    def dni() -> str:
        number = g.digits(8)
        return number + "TRWAGMYFPDXBNJZSQVHLCKE"[int(number) % 23]

    def bsn() -> str:
        return g.valid(lambda: g.digits(9), i.nl_bsn)

    def nif() -> str:
        return g.valid(lambda: g.pick("123") + g.digits(8), i.pt_nif)

    return {
        "de": (("Meine Steuer-ID lautet ", steuer),),
        "es": (("Mi DNI es ", dni),),
        "fr": (
            ("Mon numéro de sécurité sociale est ", lambda: g.valid(lambda: _nir(g), i.fr_nir)),
        ),
        "it": (("Il mio codice fiscale è ", lambda: g.valid(lambda: _cf(g), i.it_fiscal_code)),),
        "nl": (("Mijn BSN is ", bsn), ("Mijn burgerservicenummer: ", bsn)),
        "pt": (
            ("O meu NIF é ", nif),
            ("O meu CPF é ", lambda: g.valid(lambda: _cpf(g), i.br_cpf)),
        ),
    }


ID_ENDINGS = {
    "de": ", brauchst du die für das Formular?",
    "es": ", ¿lo necesitas para el formulario?",
    "fr": ", faut-il le mettre dans le formulaire ?",
    "it": ", serve per il modulo?",
    "nl": ", heb je dat nodig voor het formulier?",
    "pt": ", é preciso para o formulário?",
}


def _fill(g: Gen, shape: str) -> str:
    return "".join(
        g.digits(1) if c == "d" else g.pick(string.ascii_uppercase) if c == "L" else c
        for c in shape
    )


def _phone(g: Gen, language: str) -> list:
    words, region, shapes = g.pick(PHONES[language])
    shape = g.pick(shapes)

    def valid(value: str) -> bool:
        parsed = phonenumbers.parse(value, region)
        return phonenumbers.is_valid_number_for_region(parsed, region)

    number = g.valid(lambda: _fill(g, shape), valid)
    return [words, (number, PH), PHONE_ENDINGS[language]]


def _iban(g: Gen, country: str) -> str:
    def make() -> str:
        body = _fill(g, IBAN_BODY[country])
        check = 98 - int("".join(str(int(c, 36)) for c in body + country + "00")) % 97
        return f"{country}{check:02d}{body}"

    value = g.valid(make, iban_valid)
    grouped = " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    return g.pick((value, grouped))


def _person(g: Gen, language: str) -> tuple[str, str]:
    given, family = (part.split() for part in NAMES[language])
    return g.pick(given), g.pick(family)


def _cued(g: Gen, language: str) -> list:
    first, last = _person(g, language)
    if g.rng.random() < 0.25:
        first, last = g.pick(FOREIGN).split(" ", 1)
    template = g.pick(CUED[language])
    name = {"{n}": f"{first} {last}", "{s}": last, "{g}": first}
    return _template(template, name)


def _uncued(g: Gen, language: str) -> list:
    first, last = _person(g, language)
    template = g.pick(UNCUED[language])
    return _template(template, {"{n}": f"{first} {last}", "{s}": last, "{g}": first})


def _template(template: str, name: dict) -> list:
    for slot, value in name.items():
        if slot in template:
            before, after = template.split(slot, 1)
            return [before, (value, P), after]
    raise ValueError(template)


def _email(g: Gen, language: str) -> list:
    first, last = _person(g, language)
    local = g.pick((f"{first}.{last}", f"{first[0]}{last}", f"{first}{g.digits(2)}")).lower()
    address = f"{local}@{g.pick(EMAIL_DOMAINS[language])}"
    return [MONEY[language][0], (address, E), ADDRESS_ENDINGS[language]]


def _account(g: Gen, language: str) -> list:
    _, words, country = MONEY[language]
    return [words, (_iban(g, country), IB), ADDRESS_ENDINGS[language]]


def _address(g: Gen, language: str) -> list:
    before, shapes, streets, places = ADDRESSES[language]
    code, city = g.pick(places)
    value = g.pick(shapes).format(
        street=g.pick(streets), n=g.rng.randint(1, 240), code=code, city=city
    )
    return [before, (value, A), ADDRESS_ENDINGS[language]]


def _national(g: Gen, language: str, makers: dict) -> list:
    words, make = g.pick(makers[language])
    return [words, (make(), ID), ID_ENDINGS[language]]


def personal_cases(language: str, seed: int = SEED, n: int = 90) -> list[dict]:
    """Labelled messages of ``language`` (module docstring), ``n`` of them."""
    g = Gen(random.Random(f"{seed}-{language}"))
    makers = _national_ids(g)
    kinds = (
        lambda: _cued(g, language),
        lambda: _cued(g, language),
        lambda: _uncued(g, language),
        lambda: _phone(g, language),
        lambda: _email(g, language),
        lambda: _account(g, language),
        lambda: _address(g, language),
        lambda: _national(g, language, makers),
    )
    cases = []
    for index in range(n):
        text, spans = compose(*kinds[index % len(kinds)]())
        cases.append({"messages": [text], "spans": [{**s, "message": 0} for s in spans]})
    return cases


CLEAN = {
    "de": [
        "Erkläre mir bitte den Unterschied zwischen Kubernetes und Docker Swarm.",
        "Schreib eine kurze Produktbeschreibung für unseren neuen Wasserkocher aus Edelstahl.",
        "Wie lange muss ein Ei kochen, damit das Eigelb noch weich ist?",
        "Fasse den folgenden Artikel über die Energiewende in Deutschland zusammen.",
        "Ich habe meiner Mutter eine Rose zum Muttertag gekauft, wie pflege ich sie?",
        "Der Wolf ist in Brandenburg wieder heimisch geworden, stimmt das?",
        "Hallo zusammen, wer kann mir bei der Präsentation für Montag helfen?",
        "Viele Grüße und ein schönes Wochenende an das ganze Team!",
        "Übersetze diesen Satz ins Englische: Die Sitzung beginnt um neun Uhr.",
        "Welche Sehenswürdigkeiten sollte man in München und Salzburg nicht verpassen?",
        "Vergleiche das iPhone 15 mit dem Samsung Galaxy S24 in Bezug auf die Kamera.",
        "Mit freundlichen Grüßen ist zu steif, wie kann ich eine Mail lockerer beenden?",
        "Der Herr der Ringe ist mein Lieblingsbuch, welche ähnlichen Bücher gibt es?",
        "Die Frau am Schalter meinte, der Zug nach Hamburg fällt heute aus.",
        "Formuliere eine Kündigung für meinen Handyvertrag zum Monatsende.",
        "Was kostet ein Liter Benzin im Durchschnitt? Gestern waren es 1,79 Euro.",
        "Berechne die Mehrwertsteuer von 19 Prozent auf einen Betrag von 250 Euro.",
        "Gib mir ein Rezept für einen Apfelkuchen mit Streuseln und Zimt.",
        "Erstelle einen Trainingsplan für einen Halbmarathon im Oktober.",
        "Warum ist der Himmel blau und der Sonnenuntergang rot?",
        "Beste Grüße aus dem Urlaub, das Wetter an der Ostsee ist herrlich.",
        "Schreib ein Gedicht über den Herbst im Schwarzwald.",
        "Wie installiere ich Python 3.12 unter Windows und richte eine Umgebung ein?",
        "Liebe Grüße an alle, die heute Geburtstag haben!",
        "Nenne die Vor- und Nachteile von Wärmepumpen in Altbauten.",
        "Korrigiere die Rechtschreibung in diesem Absatz über die Deutsche Bahn.",
        "Was bedeutet der Begriff Mark in der Geschichte der Bundesrepublik?",
        "Plane eine Reise von Berlin nach Wien mit dem Nachtzug.",
        "Sehr geehrte Damen und Herren, ich bitte um Rückruf wegen meiner Bestellung.",
        "Danke für die Hilfe, das hat mir sehr geholfen.",
    ],
    "es": [
        "Explícame la diferencia entre Kubernetes y Docker Swarm.",
        "Escribe una descripción breve para nuestro nuevo hervidor de acero inoxidable.",
        "¿Cuánto tiempo hay que cocer un huevo para que la yema quede blanda?",
        "Resume el siguiente artículo sobre la energía solar en España.",
        "La Paz es la sede del gobierno de Bolivia, ¿cuál es la capital oficial?",
        "Hola a todos, ¿alguien puede ayudarme con la presentación del lunes?",
        "Saludos cordiales y buen fin de semana a todo el equipo.",
        "Traduce esta frase al inglés: la reunión empieza a las nueve.",
        "¿Qué lugares hay que visitar en Sevilla y Granada en primavera?",
        "Compara el iPhone 15 con el Samsung Galaxy S24 en cuanto a la cámara.",
        "Atentamente me parece muy formal, ¿cómo puedo terminar un correo de forma más cercana?",
        "Cien años de soledad es mi libro favorito, ¿qué libros parecidos me recomiendas?",
        "Redacta una carta para dar de baja mi contrato de móvil a final de mes.",
        "¿Cuánto cuesta de media un litro de gasolina? Ayer estaba a 1,65 euros.",
        "Calcula el IVA del 21 por ciento sobre un importe de 250 euros.",
        "Dame una receta de tortilla de patatas con cebolla.",
        "Crea un plan de entrenamiento para una media maratón en octubre.",
        "¿Por qué el cielo es azul y la puesta de sol es roja?",
        "Escribe un poema sobre el otoño en los Pirineos.",
        "¿Cómo instalo Python 3.12 en Windows y creo un entorno virtual?",
        "Nombra las ventajas y desventajas de la aerotermia en pisos antiguos.",
        "Corrige la ortografía de este párrafo sobre Renfe y los trenes de cercanías.",
        "Planifica un viaje de Madrid a Lisboa en tren nocturno.",
        "Estimados señores, les escribo para reclamar el retraso de mi pedido.",
        "Gracias por la ayuda, me ha servido mucho.",
        "La Virgen del Rocío se celebra en Almonte cada primavera.",
        "Santa María del Mar es una iglesia gótica de Barcelona.",
        "El Real Madrid ganó la liga, ¿cuántos títulos tiene ya?",
        "Felices fiestas y un abrazo muy fuerte a toda la familia.",
        "¿Qué significa la expresión estar en las nubes?",
    ],
    "fr": [
        "Explique-moi la différence entre Kubernetes et Docker Swarm.",
        "Écris une courte description pour notre nouvelle bouilloire en inox.",
        "Combien de temps faut-il cuire un œuf pour que le jaune reste coulant ?",
        "Résume l'article suivant sur la transition énergétique en France.",
        "Bonjour à tous, qui peut m'aider pour la présentation de lundi ?",
        "Bien cordialement et bon week-end à toute l'équipe.",
        "Traduis cette phrase en anglais : la réunion commence à neuf heures.",
        "Quels sont les lieux à ne pas manquer à Lyon et à Bordeaux ?",
        "Compare l'iPhone 15 et le Samsung Galaxy S24 pour la photo.",
        "Cordialement fait trop formel, comment terminer un mail de façon plus chaleureuse ?",
        "Le Petit Prince est mon livre préféré, quels livres similaires me conseilles-tu ?",
        "Rédige une lettre de résiliation de mon forfait mobile pour la fin du mois.",
        "Combien coûte en moyenne un litre d'essence ? Hier c'était 1,89 euro.",
        "Calcule la TVA de 20 pour cent sur un montant de 250 euros.",
        "Donne-moi une recette de tarte Tatin avec des pommes caramélisées.",
        "Crée un plan d'entraînement pour un semi-marathon en octobre.",
        "Pourquoi le ciel est-il bleu et le coucher de soleil rouge ?",
        "Écris un poème sur l'automne en Provence.",
        "Comment installer Python 3.12 sous Windows et créer un environnement virtuel ?",
        "Quels sont les avantages et les inconvénients d'une pompe à chaleur ?",
        "Corrige l'orthographe de ce paragraphe sur la SNCF et les TER.",
        "Organise un voyage de Paris à Rome en train de nuit.",
        "Madame, Monsieur, je vous écris au sujet du retard de ma commande.",
        "Merci pour l'aide, cela m'a beaucoup servi.",
        "La Rose des vents indique les points cardinaux sur une carte.",
        "Saint-Pierre-et-Miquelon est un archipel français près du Canada.",
        "Le Mont Saint-Michel attire des millions de visiteurs chaque année.",
        "Pierre qui roule n'amasse pas mousse, que veut dire ce proverbe ?",
        "Joyeux anniversaire à tous ceux qui sont nés aujourd'hui !",
        "Que signifie l'expression avoir la tête dans les nuages ?",
    ],
    "it": [
        "Spiegami la differenza tra Kubernetes e Docker Swarm.",
        "Scrivi una breve descrizione per il nostro nuovo bollitore in acciaio inox.",
        "Quanto tempo bisogna cuocere un uovo perché il tuorlo resti morbido?",
        "Riassumi il seguente articolo sulle energie rinnovabili in Italia.",
        "Ciao a tutti, qualcuno può aiutarmi con la presentazione di lunedì?",
        "Cordiali saluti e buon fine settimana a tutta la squadra.",
        "Traduci questa frase in inglese: la riunione inizia alle nove.",
        "Quali luoghi non perdere a Firenze e a Bologna in primavera?",
        "Confronta l'iPhone 15 con il Samsung Galaxy S24 per la fotocamera.",
        "Distinti saluti è troppo formale, come posso chiudere una mail in modo più caldo?",
        "Il nome della rosa è il mio libro preferito, che libri simili mi consigli?",
        "Scrivi una lettera di disdetta del mio contratto telefonico per fine mese.",
        "Quanto costa in media un litro di benzina? Ieri era a 1,85 euro.",
        "Calcola l'IVA del 22 per cento su un importo di 250 euro.",
        "Dammi una ricetta per la carbonara senza panna.",
        "Crea un piano di allenamento per una mezza maratona a ottobre.",
        "Perché il cielo è blu e il tramonto è rosso?",
        "Scrivi una poesia sull'autunno in Toscana.",
        "Come installo Python 3.12 su Windows e creo un ambiente virtuale?",
        "Elenca vantaggi e svantaggi delle pompe di calore nelle case vecchie.",
        "Correggi l'ortografia di questo paragrafo su Trenitalia e i treni regionali.",
        "Organizza un viaggio da Milano a Vienna con il treno notturno.",
        "Gentili signori, vi scrivo per il ritardo del mio ordine.",
        "Grazie per l'aiuto, mi è stato molto utile.",
        "Santa Maria Novella è una basilica famosa di Firenze.",
        "La Stella Polare indica il nord nel cielo notturno.",
        "Il Duomo di Milano ha richiesto quasi sei secoli per essere completato.",
        "Buon compleanno a tutti quelli che festeggiano oggi!",
        "La Juventus ha vinto lo scudetto, quanti titoli ha ormai?",
        "Che cosa significa l'espressione avere la testa tra le nuvole?",
    ],
    "nl": [
        "Leg me het verschil uit tussen Kubernetes en Docker Swarm.",
        "Schrijf een korte productbeschrijving voor onze nieuwe waterkoker van rvs.",
        "Hoe lang moet je een ei koken zodat de dooier zacht blijft?",
        "Vat het volgende artikel over de energietransitie in Nederland samen.",
        "Hallo allemaal, wie kan me helpen met de presentatie van maandag?",
        "Met vriendelijke groet en een fijn weekend aan het hele team.",
        "Vertaal deze zin naar het Engels: de vergadering begint om negen uur.",
        "Welke bezienswaardigheden moet je zien in Utrecht en Maastricht?",
        "Vergelijk de iPhone 15 met de Samsung Galaxy S24 qua camera.",
        "Met vriendelijke groet klinkt stijf, hoe sluit ik een mail hartelijker af?",
        "Het diner vond ik een prachtige roman, welke boeken lijken erop?",
        "Schrijf een opzegbrief voor mijn telefoonabonnement per het einde van de maand.",
        "Wat kost een liter benzine gemiddeld? Gisteren was het 2,05 euro.",
        "Bereken de btw van 21 procent over een bedrag van 250 euro.",
        "Geef me een recept voor appeltaart met kaneel en rozijnen.",
        "Maak een trainingsschema voor een halve marathon in oktober.",
        "Waarom is de lucht blauw en de zonsondergang rood?",
        "Schrijf een gedicht over de herfst op de Veluwe.",
        "Hoe installeer ik Python 3.12 op Windows en maak ik een virtuele omgeving?",
        "Noem de voor- en nadelen van een warmtepomp in een oud huis.",
        "Verbeter de spelling van deze alinea over de NS en de intercity's.",
        "Plan een reis van Amsterdam naar Praag met de nachttrein.",
        "Geachte heer of mevrouw, ik schrijf u over de vertraging van mijn bestelling.",
        "Bedankt voor de hulp, dat heeft me echt geholpen.",
        "De Nachtwacht van Rembrandt hangt in het Rijksmuseum.",
        "Ajax speelt zondag tegen Feyenoord in de Kuip in Rotterdam.",
        "Fijne feestdagen en een gelukkig nieuwjaar voor iedereen!",
        "Wat betekent de uitdrukking met je hoofd in de wolken lopen?",
        "Hoeveel kost een treinkaartje van Groningen naar Eindhoven?",
        "Welke fietsroutes zijn er langs de Waddenzee?",
    ],
    "pt": [
        "Explica-me a diferença entre Kubernetes e Docker Swarm.",
        "Escreve uma descrição curta para a nossa nova chaleira em aço inoxidável.",
        "Quanto tempo é preciso cozer um ovo para a gema ficar mole?",
        "Resume o seguinte artigo sobre energia solar em Portugal.",
        "Olá a todos, alguém me pode ajudar com a apresentação de segunda-feira?",
        "Cumprimentos e bom fim de semana para toda a equipa.",
        "Traduz esta frase para inglês: a reunião começa às nove horas.",
        "Que lugares não posso perder em Lisboa e no Porto na primavera?",
        "Compara o iPhone 15 com o Samsung Galaxy S24 em relação à câmara.",
        "Atenciosamente parece muito formal, como posso terminar um email de forma mais próxima?",
        "Ensaio sobre a cegueira é o meu livro preferido, que livros parecidos recomendas?",
        "Escreve uma carta para cancelar o meu contrato de telemóvel no fim do mês.",
        "Quanto custa em média um litro de gasolina? Ontem estava a 1,79 euros.",
        "Calcula o IVA de 23 por cento sobre um valor de 250 euros.",
        "Dá-me uma receita de pastéis de nata caseiros.",
        "Cria um plano de treino para uma meia maratona em outubro.",
        "Porque é que o céu é azul e o pôr do sol é vermelho?",
        "Escreve um poema sobre o outono no Douro.",
        "Como instalo o Python 3.12 no Windows e crio um ambiente virtual?",
        "Indica as vantagens e desvantagens de uma bomba de calor numa casa antiga.",
        "Corrige a ortografia deste parágrafo sobre a CP e os comboios regionais.",
        "Planeia uma viagem de Lisboa a Madrid de comboio noturno.",
        "Exmos. Senhores, escrevo a propósito do atraso da minha encomenda.",
        "Obrigado pela ajuda, foi muito útil.",
        "Nossa Senhora de Fátima é celebrada a 13 de maio.",
        "O Benfica ganhou o campeonato, quantos títulos tem agora?",
        "A Torre de Belém é um dos monumentos mais visitados de Lisboa.",
        "Boas festas e um feliz ano novo para todos!",
        "O que significa a expressão estar com a cabeça nas nuvens?",
        "Quanto custa um bilhete de comboio de Coimbra para Faro?",
    ],
}


def evaluate(engine) -> dict:
    """Per language: how its messages were routed, over-redaction of the
    clean half (share of characters), recall per type of the personal half,
    recall of the local formats together, and any type predicted in the
    clean half."""
    return {language: _language(engine, language) for language in LANGUAGES}


def _language(engine, language: str) -> dict:
    from eval.harness import run_cases
    from eval.scoring import Tally

    clean = CLEAN[language]
    personal = personal_cases(language)
    clean_outcomes = run_cases(engine, [{"messages": [t], "spans": []} for t in clean])
    redacted = [
        {"entity_type": p["entity_type"], "text": t[p["start"] : p["end"]]}
        for t, o in zip(clean, clean_outcomes, strict=True)
        for p in o["predicted"][0]
    ]
    tally = Tally()
    for case, outcome in zip(personal, run_cases(engine, personal), strict=True):
        tally.add_case(case["spans"], outcome["predicted"][0], set(TYPES))
    report = tally.report()
    formats = [report["per_entity"][t] for t in FORMAT_TYPES if t in report["per_entity"]]
    texts = clean + [c["messages"][0] for c in personal]
    routed = [engine.detector.router.language_of(t) for t in texts]
    chars = sum(len(t) for t in clean)
    return {
        "routed": {code: routed.count(code) for code in sorted(set(routed))},
        "clean": {
            "texts": len(clean),
            "chars": chars,
            "redacted_chars": sum(len(r["text"]) for r in redacted),
            "over_redaction": round(sum(len(r["text"]) for r in redacted) / chars, 4),
            "redacted": redacted,
        },
        "personal": {"cases": len(personal), **report},
        "format_recall": round(
            sum(r["found"] for r in formats) / max(1, sum(r["gold"] for r in formats)), 4
        ),
        "person_recall": report["per_entity"].get(P, {}).get("recall"),
    }
