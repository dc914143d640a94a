"""python manage.py close_overdue_attempts: submit attempts whose time ran out.

Run it from cron (every minute): students who leave an attempt open get it
submitted with what they saved.
"""

from django.core.management.base import BaseCommand

from quizzes.services import attempts_close_overdue


class Command(BaseCommand):
    help = "Submit and grade every attempt past its deadline plus grace period."

    def handle(self, *args, **options):
        closed = attempts_close_overdue()
        self.stdout.write(f"{closed} overdue attempt(s) submitted")
