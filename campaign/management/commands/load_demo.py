from importlib import import_module

from django.core.management.base import BaseCommand

# Order matters: appeals and petitions link to prisoners, events to appeals.
DEMO_MODULES = ["prisoners.demo", "appeals.demo", "petitions.demo", "events.demo"]


class Command(BaseCommand):
    help = "Load the demo content taken from the campaign's documents. Safe to run again."

    def handle(self, *args, **options):
        for name in DEMO_MODULES:
            created = import_module(name).load()
            self.stdout.write(f"{name}: {created} new record(s)")
