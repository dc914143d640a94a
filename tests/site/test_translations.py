"""Spanish and Brazilian Portuguese: the catalogues in locale/ are complete and
compiled, the pages speak the language a visitor asks for (language cookie or
Accept-Language), and the language picker in the footer switches it."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from quizzes.models import Attempt
from tests.factories import (
    EnrollmentFactory,
    UserFactory,
    make_course,
    make_quiz,
)

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
# settings.LANGUAGES code -> gettext locale folder
LOCALES = {"es": "es", "pt-br": "pt_BR"}
DOMAINS = ["django", "djangojs"]
PLURAL_FORMS = {
    "es": "nplurals=2; plural=(n != 1);",
    "pt_BR": "nplurals=2; plural=(n > 1);",
}

# What each page must say in each language (and must no longer say in English).
EXPECTED = {
    "catalogue": {
        "es": ["Iniciar sesión", "Registrarse", "3 lecciones", "1 lección", "Idioma"],
        "pt-br": ["Entrar", "Cadastrar-se", "3 aulas", "1 aula", "Idioma"],
        "en": ["Log in", "Sign up", "3 lessons", "1 lesson", "Language"],
    },
    "login": {
        "es": ["¿Olvidaste tu contraseña?", "¿Primera vez aquí?", "Crea una cuenta"],
        "pt-br": ["Esqueceu sua senha?", "Primeira vez aqui?", "Crie uma conta"],
        "en": ["Forgotten your password?", "New here?", "Create an account"],
    },
    "lesson": {
        "es": ["Marcar como completada", "Progreso del curso", "Índice del curso"],
        "pt-br": ["Marcar como concluída", "Progresso do curso", "Sumário do curso"],
        "en": ["Mark complete", "Course progress", "Course outline"],
    },
    "quiz": {
        "es": ["Intentos permitidos", "Comenzar el cuestionario", "Ilimitados"],
        "pt-br": ["Tentativas permitidas", "Iniciar o questionário", "Ilimitadas"],
        "en": ["Attempts allowed", "Start the quiz", "Unlimited"],
    },
    "attempt": {
        "es": ["Pregunta 1", "Guardar respuestas", "Terminar intento", "Verdadero"],
        "pt-br": ["Questão 1", "Salvar respostas", "Finalizar tentativa", "Verdadeiro"],
        "en": ["Question 1", "Save answers", "Finish attempt", "True"],
    },
}


@pytest.fixture(autouse=True)
def _back_to_english():
    """LocaleMiddleware leaves the last request's language active in the thread:
    do not let a Spanish request leak into the tests that run after these."""
    yield
    translation.deactivate()


# --------------------------------------------------------------------------
# A tiny .po reader (no polib: no new dependency)


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def read_po(path: Path) -> list[dict]:
    """The live entries of a .po file (obsolete ``#~`` ones are skipped), each with
    its flags, msgctxt, msgid, msgid_plural and msgstr forms ({index: text})."""
    entries: list[dict] = []
    entry: dict | None = None
    field = None

    def finish():
        nonlocal entry, field
        if entry is not None and "msgid" in entry:
            entries.append(entry)
        entry, field = None, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if (
            entry is not None
            and "msgid" in entry
            and (line.startswith("#") or line.startswith("msgctxt"))
        ):
            finish()  # a new entry starts without a blank line
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = re.match(
            r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(.*)$", line
        )
        if match:
            keyword, index, value = match.groups()
            if keyword.startswith("msgstr"):
                field = ("msgstr", int(index or 0))
                entry["msgstr"][field[1]] = _unquote(value)
            else:
                field = (keyword, None)
                entry[keyword] = _unquote(value)
        elif line.startswith('"') and field is not None:
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
        else:
            raise AssertionError(f"{path}: cannot read the line {raw!r}")
    finish()
    return entries


def _catalogue(locale: str, domain: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{domain}.po"


def _messages(locale: str, domain: str) -> list[dict]:
    """The entries of a catalogue less its header."""
    return [e for e in read_po(_catalogue(locale, domain)) if e["msgid"] != ""]


def _label(entry: dict) -> str:
    context = f"[{entry['msgctxt']}] " if "msgctxt" in entry else ""
    return context + entry["msgid"]


CATALOGUES = [(locale, domain) for locale in LOCALES.values() for domain in DOMAINS]
CATALOGUE_IDS = [f"{locale}-{domain}" for locale, domain in CATALOGUES]


# --------------------------------------------------------------------------
# The catalogues


def test_the_django_catalogue_is_not_empty():
    """A guard for the tests below: an empty catalogue would pass them all."""
    for locale in LOCALES.values():
        assert len(_messages(locale, "django")) > 100


@pytest.mark.parametrize(("locale", "domain"), CATALOGUES, ids=CATALOGUE_IDS)
def test_every_message_has_a_translation(locale, domain):
    untranslated = [
        _label(entry)
        for entry in _messages(locale, domain)
        if not entry["msgstr"]
        or any(not text.strip() for text in entry["msgstr"].values())
        or ("msgid_plural" in entry and len(entry["msgstr"]) < 2)
    ]

    assert untranslated == []


@pytest.mark.parametrize(("locale", "domain"), CATALOGUES, ids=CATALOGUE_IDS)
def test_no_translation_is_left_fuzzy(locale, domain):
    """Fuzzy entries are skipped by the compiler: the page would stay English."""
    fuzzy = [
        _label(e) for e in read_po(_catalogue(locale, domain)) if "fuzzy" in e["flags"]
    ]

    assert fuzzy == []


@pytest.mark.parametrize(("locale", "domain"), CATALOGUES, ids=CATALOGUE_IDS)
def test_the_header_names_the_language_plural_forms_and_utf8(locale, domain):
    header = next(e for e in read_po(_catalogue(locale, domain)) if e["msgid"] == "")
    fields = dict(
        line.split(": ", 1) for line in header["msgstr"][0].splitlines() if ": " in line
    )

    assert fields["Language"] == locale
    assert fields["Plural-Forms"] == PLURAL_FORMS[locale]
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"


_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|%%|\{\w*\}")


@pytest.mark.parametrize(("locale", "domain"), CATALOGUES, ids=CATALOGUE_IDS)
def test_translations_keep_the_placeholders(locale, domain):
    """%(name)s, %d, %% and {name} must survive translation, or formatting the
    translated string fails (or shows the wrong number)."""
    broken = []
    for entry in _messages(locale, domain):
        for index, text in entry["msgstr"].items():
            source = entry["msgid"] if index == 0 else entry.get("msgid_plural", "")
            if sorted(_PLACEHOLDER.findall(source)) != sorted(
                _PLACEHOLDER.findall(text)
            ):
                broken.append((entry["msgid"], index, text))

    assert broken == []


@pytest.mark.parametrize(("locale", "domain"), CATALOGUES, ids=CATALOGUE_IDS)
def test_the_compiled_catalogue_matches_the_po_file(locale, domain):
    """The .mo files are committed (a server may lack msgfmt): each must hold every
    translation of its .po file, i.e. it was compiled after the last edit."""
    mo = _catalogue(locale, domain).with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run manage.py compilemessages"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in _messages(locale, domain):
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            got = [compiled.pgettext(entry["msgctxt"], msgid)]
            want = [entry["msgstr"][0]]
        elif "msgid_plural" in entry:
            # n=1 picks the first form and n=5 the second, in both languages.
            got = [compiled.ngettext(msgid, entry["msgid_plural"], n) for n in (1, 5)]
            want = [entry["msgstr"][0], entry["msgstr"][1]]
        else:
            got, want = [compiled.gettext(msgid)], [entry["msgstr"][0]]
        if got != want:
            stale.append(msgid)

    assert stale == []


# --------------------------------------------------------------------------
# The pages


@pytest.fixture
def site():
    """A published course of three lessons with a quiz on the first, a course of
    one lesson, and a student enrolled in the first course."""
    course = make_course(modules=1, lessons_per_module=3, slug="andes", title="Andes")
    make_course(modules=1, lessons_per_module=1, slug="pampa", title="Pampa")
    lesson = course.lessons.order_by("position").first()
    quiz = make_quiz(
        course=course,
        lesson=lesson,
        slug="check",
        title="Lesson check",
        questions=[
            {
                "type": "truefalse",
                "title": "Lima",
                "text": "Lima is the capital of Peru.",
                "correct": True,
            }
        ],
    )
    student = UserFactory(username="alumna")
    EnrollmentFactory(user=student, course=course)
    return {"course": course, "lesson": lesson, "quiz": quiz, "student": student}


def _url(page: str, site: dict, client) -> str:
    course, lesson, quiz = site["course"], site["lesson"], site["quiz"]
    if page == "catalogue":
        return reverse("lessons:catalogue")
    if page == "login":
        return reverse("login")
    client.force_login(site["student"])
    if page == "lesson":
        return lesson.get_absolute_url()
    if page == "quiz":
        return quiz.get_absolute_url()
    if page == "attempt":
        start = reverse(
            "quizzes:quiz-start",
            kwargs={"course_slug": course.slug, "quiz_slug": quiz.slug},
        )
        assert client.post(start).status_code == 302
        attempt = Attempt.objects.get(quiz=quiz, user=site["student"])
        return reverse("quizzes:attempt", kwargs={"attempt_id": attempt.pk})
    raise AssertionError(page)


def _ask_for(client, language: str, how: str) -> dict:
    """Ask for a language the way a browser would; the extra request headers."""
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return {}
    region = {"es": "es-419,es;q=0.9", "pt-br": "pt-BR,pt;q=0.9"}[language]
    return {"HTTP_ACCEPT_LANGUAGE": f"{region},en;q=0.5"}


@pytest.mark.parametrize("how", ["cookie", "accept-language"])
@pytest.mark.parametrize("language", ["es", "pt-br"])
@pytest.mark.parametrize("page", list(EXPECTED))
def test_pages_speak_the_language_asked_for(client, site, page, language, how):
    url = _url(page, site, client)
    headers = _ask_for(client, language, how)

    response = client.get(url, **headers)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for text in EXPECTED[page][language]:
        assert text in html, f"{text!r} missing from the {page} page in {language}"
    english = [text for text in EXPECTED[page]["en"] if text in html]
    assert english == [], f"English left on the {page} page in {language}"


@pytest.mark.parametrize("page", list(EXPECTED))
def test_pages_stay_english_by_default(client, site, page):
    url = _url(page, site, client)

    html = client.get(url).content.decode()

    assert '<html lang="en">' in html
    for text in EXPECTED[page]["en"]:
        assert text in html


def test_the_login_form_labels_come_from_djangos_own_catalogue(client):
    """Username/Password are Django's strings: its es and pt_BR catalogues apply."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt-br"

    html = client.get(reverse("login")).content.decode()

    assert "Senha" in html
    assert ">Password" not in html


def test_the_cached_outline_is_kept_per_language(client, site):
    """The side outline of a lesson page is cached; an English visit first must
    not leave English in the Spanish page."""
    client.force_login(site["student"])
    url = site["lesson"].get_absolute_url()
    assert "Course outline" in client.get(url).content.decode()

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    html = client.get(url).content.decode()

    assert 'aria-label="Índice del curso"' in html
    assert "Course outline" not in html


def test_flash_messages_are_translated(client, site):
    client.force_login(site["student"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    other = make_course(modules=1, lessons_per_module=1, slug="sierra", title="Sierra")
    enrol = reverse("lessons:course-enrol", kwargs={"course_slug": other.slug})

    html = client.post(enrol, follow=True).content.decode()

    assert "Te inscribiste en Sierra." in html


@pytest.mark.parametrize(
    ("language", "word"), [("es", "palabra"), ("pt-br", "palavra")]
)
def test_the_admin_scripts_get_the_javascript_catalogue(client, language, word):
    """The admin's lesson preview counts words with ngettext() from the admin's
    JavaScript catalogue, which includes locale/<lang>/LC_MESSAGES/djangojs.mo."""
    client.force_login(UserFactory(username="editor", is_staff=True))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    script = client.get(reverse("admin:jsi18n")).content.decode()

    assert f"%s {word}" in script


# --------------------------------------------------------------------------
# The language picker in the footer


def _picker(html: str) -> tuple[str, list[str]]:
    """The footer form's action and the language codes it offers."""
    form = re.search(
        r'<form action="([^"]+)" method="post"[^>]*>(.*?)</form>', html, re.S
    )
    assert form, "no language form in the page"
    codes = re.findall(r'<option value="([^"]+)"', form.group(2))
    return form.group(1), codes


def test_the_footer_offers_every_language(client):
    html = client.get(reverse("lessons:catalogue")).content.decode()

    action, codes = _picker(html)

    assert action == reverse("set_language")
    assert codes == [code for code, _name in settings.LANGUAGES]
    assert 'name="language"' in html
    assert 'name="next" type="hidden" value="/"' in html


def test_the_picker_switches_the_language(client, site):
    client.force_login(site["student"])
    lesson_url = site["lesson"].get_absolute_url()
    assert "Mark complete" in client.get(lesson_url).content.decode()

    response = client.post(
        reverse("set_language"), {"language": "es", "next": lesson_url}
    )

    assert response.status_code == 302
    assert response.url == lesson_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    html = client.get(lesson_url).content.decode()
    assert '<html lang="es">' in html
    assert "Marcar como completada" in html
    # The picker now shows Spanish as the chosen language.
    assert '<option value="es" selected>' in html

    client.post(reverse("set_language"), {"language": "pt-br", "next": lesson_url})
    html = client.get(lesson_url).content.decode()
    assert "Marcar como concluída" in html
    assert '<option value="pt-br" selected>' in html

    client.post(reverse("set_language"), {"language": "en", "next": lesson_url})
    html = client.get(lesson_url).content.decode()
    assert "Mark complete" in html


def test_the_picker_beats_the_browser_language(client):
    """A visitor whose browser asks for Spanish can still pick Portuguese."""
    client.post(reverse("set_language"), {"language": "pt-br", "next": "/"})

    html = client.get(
        reverse("lessons:catalogue"), HTTP_ACCEPT_LANGUAGE="es,en;q=0.5"
    ).content.decode()

    assert '<html lang="pt-br">' in html
    assert "Cadastrar-se" in html


def test_the_picker_ignores_a_language_the_site_does_not_offer(client):
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    html = client.get(reverse("lessons:catalogue")).content.decode()

    assert '<html lang="en">' in html
