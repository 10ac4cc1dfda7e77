import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PYTHON_READS = re.compile(r"""(?:os\.environ\.get\(|os\.environ\[|env_bool\(|env_list\()["']([A-Z][A-Z0-9_]*)["']""")
SHELL_READS = re.compile(r"\$\{([A-Z][A-Z0-9_]*)")


def variables_read_by(path, pattern):
    return set(pattern.findall((ROOT / path).read_text()))


def documented_in_env_example():
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))


def test_every_variable_the_settings_read_is_in_env_example_and_the_configuration_guide():
    read = variables_read_by("campaign/settings.py", PYTHON_READS)
    assert {"SECRET_KEY", "DATABASE_URL", "SECURE_SSL_REDIRECT", "AWS_STORAGE_BUCKET_NAME"} <= read
    assert read - documented_in_env_example() == set()
    guide = (ROOT / "docs" / "configuration.md").read_text()
    assert {name for name in read if f"`{name}`" not in guide} == set()


def test_every_variable_the_image_reads_is_in_env_example():
    read = variables_read_by("docker/gunicorn.conf.py", PYTHON_READS) | variables_read_by(
        "docker/entrypoint.sh", SHELL_READS
    )
    assert {"PORT", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "RUN_MIGRATIONS"} <= read
    assert read - documented_in_env_example() == set()
