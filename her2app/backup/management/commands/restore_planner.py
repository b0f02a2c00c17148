from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from her2app.backup.operations import BackupError, restore_backup, verify_backup


class Command(BaseCommand):
    help = (
        "Restore a backup_planner folder into an empty database (migrated first) and the configured storage; "
        "every file's SHA-256 is checked after the restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--verify-only", action="store_true", help="check the backup's checksums and stop")

    def handle(self, *args, folder: Path, verify_only: bool, **options):
        try:
            if verify_only:
                manifest = verify_backup(folder)
                self.stdout.write(f"Backup is intact: {manifest['data']['rows']} rows, {len(manifest['files'])} files")
                return
            verify_backup(folder)
            call_command("migrate", interactive=False, verbosity=0)
            summary = restore_backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {summary.rows} rows and {summary.files} files; all SHA-256 checksums match")
