from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "organiser"
PASSWORD = "solidarity-local"


class Command(BaseCommand):
    help = "Create a local organiser account for development (refuses to run with DEBUG off)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("This creates a well-known password: local development only (DEBUG on).")
        User = get_user_model()
        user, created = User.objects.get_or_create(username=USERNAME, defaults={"is_staff": True, "is_superuser": True})
        if created:
            user.set_password(PASSWORD)
            user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Organiser login: http://127.0.0.1:8000/admin/  user '{USERNAME}', password "
                f"'{PASSWORD}'" + ("" if created else " (unless you have changed it)")
            )
        )
