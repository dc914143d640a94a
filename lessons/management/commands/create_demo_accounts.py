"""python manage.py create_demo_accounts: a student, an instructor and an admin.

Development only: refuses to run with DEBUG off, so a production site never gets
accounts with published passwords.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lessons.services import demo_accounts_ensure


class Command(BaseCommand):
    help = "Create demo accounts (student, instructor, admin); only with DEBUG on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo accounts are only created with DEBUG on (they have public "
                "passwords)"
            )
        accounts = demo_accounts_ensure()
        self.stdout.write("Demo accounts (development only):")
        for role, username, password in accounts:
            self.stdout.write(
                f"  {role:<11} username: {username:<11} password: {password}"
            )
