from django.core.management.base import BaseCommand

from demo import area, assessments


class Command(BaseCommand):
    help = "Load the demo council area, its organisations and one user per role. Safe to run again."

    def handle(self, *args, **options) -> None:
        users = area.load()
        assessments.load()
        self.stdout.write(self.style.SUCCESS(f"Demo area '{area.AREA_NAME}' is ready."))
        self.stdout.write(f"Sign in with any of these (password: {area.PASSWORD}):")
        for user in users:
            self.stdout.write(f"  {user.role_label:<24} {user.email}")
