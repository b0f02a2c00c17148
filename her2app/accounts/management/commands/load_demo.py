from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from her2app.accounts.demo import create_demo_users


class Command(BaseCommand):
    help = "Create demo users (one per role) and demo cases. Refuses to run unless DEBUG is on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("load_demo only runs with DEBUG=1: it creates users with known passwords.")
        passwords = create_demo_users()
        self.stdout.write("Demo users (username / password):")
        for username, password in passwords.items():
            self.stdout.write(f"  {username:<12} {password}")
