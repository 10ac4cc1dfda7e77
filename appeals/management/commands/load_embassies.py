from django.core.management.base import BaseCommand

from appeals import directory


class Command(BaseCommand):
    help = (
        "Load the embassy directory shipped with the site (appeals/data/embassies.json, authorities.json). "
        "Safe to run again: "
        "it creates nothing twice and never overwrites an organiser's edit."
    )

    def handle(self, *args, **options):
        created, updated, left = directory.load()
        self.stdout.write(
            f"embassies: {created} new, {updated} updated from the data file, {left} left as organisers left them"
        )
        created, updated, left = directory.load_authorities()
        self.stdout.write(
            f"authorities for countries without an embassy: {created} new, {updated} updated, {left} left alone"
        )
