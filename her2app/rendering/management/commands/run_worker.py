"""A background worker: find lost or missing PDFs, then run queued tasks until stopped."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from her2app.rendering import jobs


class Command(BaseCommand):
    help = "Run a PDF worker (django-tasks database worker) after sweeping for lost or missing PDFs."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle")
        parser.add_argument("--batch", action="store_true", help="Run what is queued now, then exit")

    def handle(self, *args, interval: float, batch: bool, **options):
        found = jobs.sweep(grace_seconds=0)
        self.stdout.write(f"PDF worker starting; {found} lost or missing PDF job(s) queued.")
        if not batch:
            jobs.schedule_next_sweep()
        call_command(
            "db_worker", interval=interval, batch=batch, reload=False, startup_delay=False,
            verbosity=options["verbosity"],
        )
