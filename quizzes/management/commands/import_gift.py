"""python manage.py import_gift FILE --course SLUG [--quiz SLUG] [--dry-run]

``import_bank`` with the format fixed to GIFT, kept for the scripts that use it."""

from quizzes.management.commands import import_bank


class Command(import_bank.Command):
    help = (
        "Import a Moodle GIFT file into a course's question bank (and, with --quiz, "
        "into that quiz, created as an unpublished draft if missing). All or "
        "nothing: a file with any error imports nothing. Re-importing the same "
        "file creates nothing (see quizzes.banks)."
    )
    fixed_format = "gift"
