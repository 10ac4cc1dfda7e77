"""Appeals moved from the project package to an app of their own. A database made
by the tree from before the move, with appeals, letters sent, their history, admin log
entries and the Organiser and Editor groups, migrates to today's tree with nothing lost.

The old tree is taken from git (`git archive`) and run with this virtualenv: migrate and
fill a database there, then migrate it here and look. On SQLite by default; on PostgreSQL
when DATABASE_URL names one (a database of its own is made and dropped)."""

import json
import os
import subprocess
import sys
import tarfile
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent / "migration_in_place"
# The last commit with appeals in the project package ("campaign").
BEFORE_THE_MOVE = "582146f2901f5ac194716af6346835adffc54f93"


def old_tree(destination):
    found = subprocess.run(["git", "cat-file", "-e", f"{BEFORE_THE_MOVE}^{{commit}}"], cwd=ROOT, capture_output=True)
    if found.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the git history back to {BEFORE_THE_MOVE[:7]} (a full clone)")
        pytest.skip(f"this clone has no commit {BEFORE_THE_MOVE[:7]} (shallow?)")
    archive = destination / "before.tar"
    subprocess.run(["git", "archive", "-o", archive, BEFORE_THE_MOVE], cwd=ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(destination / "before", filter="data")
    return destination / "before"


def manage(tree, database_url, *args, stdin=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "campaign.settings", "CACHE_URL": "locmem://"}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=tree,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} in {tree}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def last_line_json(output):
    # `shell` may print a line of its own first ("N objects imported automatically").
    return json.loads(output.strip().splitlines()[-1])


@pytest.fixture
def database_url(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'before.sqlite3'}"
        return
    import psycopg

    name = f"campaign_in_place_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_database_from_before_the_move_keeps_every_appeal_its_history_log_and_roles(database_url):
    with tempfile.TemporaryDirectory() as folder:
        before_tree = old_tree(Path(folder))
        manage(before_tree, database_url, "migrate", "--noinput")
        before = last_line_json(manage(before_tree, database_url, "shell", stdin=(HERE / "before.py").read_text()))
    assert before["history"] >= 2 and before["history_prisoners"] == 1
    assert before["permissions"] == ["campaign.change_appeal", "campaign.view_lettersent"]

    manage(ROOT, database_url, "migrate", "--noinput")
    script = (HERE / "after.py").read_text().replace("sys.stdin.read()", repr(json.dumps(before)))
    after = last_line_json(manage(ROOT, database_url, "shell", "-c", script))

    assert after == {
        "title": "Free Natalia Sokolova",
        "prisoners": ["natalia-sokolova"],
        "demands": ["Release Natalia Sokolova."],
        "recipients": ["Embassy of Kazakhstan"],
        "letter": "Protest",
        "letters_sent": 3,
        "petition_links": ["p"],
        "history": before["history"],
        "history_titles": before["history_titles"],
        "history_prisoners": 1,
        "target_history": before["target_history"],
        "log_entry_object": "Free Natalia Sokolova",
        "log_entry_app": "appeals",
        "organiser_may": ["appeals.change_appeal", "appeals.view_lettersent"],
        "editor_may_edit_appeals": True,
        "content_types_left_behind": [],
        "appeal_permissions": 1,
        "new_appeal_gets_an_id": True,
        "signer": [["Plain Signer", "plain.signer@example.org", "Zhanaozen", "Oil workers", "In solidarity"]],
        "signer_columns_encrypted": True,
        "closed_petition_counts_towards_forgetting": True,
    }
