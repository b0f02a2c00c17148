from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from her2app.backup.operations import BackupError, make_backup


class Command(BaseCommand):
    help = "Back up every database row and every stored PDF into a new folder, with SHA-256 checksums."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a new or empty folder")

    def handle(self, *args, folder: Path, **options):
        try:
            manifest = make_backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up {manifest['data']['rows']} rows and {len(manifest['files'])} files to {folder}"
        )
