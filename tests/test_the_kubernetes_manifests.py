"""What the Kubernetes manifests (deploy/kubernetes/) must say, read from what `kubectl
kustomize` renders for each overlay: deploy/kubernetes/check validates them against the API's
schemas, these tests check what the schemas cannot (probes on /healthz, non-root, a read-only
root, the migration Job, commands that exist)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
KUBERNETES = ROOT / "deploy" / "kubernetes"
OVERLAYS = sorted(path.name for path in (KUBERNETES / "overlays").iterdir() if path.is_dir())

pytestmark = pytest.mark.skipif(
    shutil.which("kubectl") is None,
    reason="kubectl is not installed (CI installs it: .ci/run, 'Kubernetes manifests')",
)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """{overlay: [resource, ...]}, rendered from a copy with the Secret's placeholders."""
    copy = tmp_path_factory.mktemp("kubernetes") / "kubernetes"
    shutil.copytree(KUBERNETES, copy)
    result = {}
    for overlay in OVERLAYS:
        secret = copy / "overlays" / overlay / "secret.env"
        shutil.copy(copy / "secret.env.example", secret)
        out = subprocess.run(
            ["kubectl", "kustomize", str(copy / "overlays" / overlay)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        result[overlay] = [resource for resource in yaml.safe_load_all(out) if resource]
    return result


def of_kind(resources, kind, name=None):
    return [r for r in resources if r["kind"] == kind and (name is None or r["metadata"]["name"] == name)]


def one(resources, kind, name):
    (resource,) = of_kind(resources, kind, name)
    return resource


def pod_templates(resources):
    """(resource name, pod spec) of everything that runs a pod."""
    for resource in resources:
        if resource["kind"] in {"Deployment", "Job"}:
            yield resource["metadata"]["name"], resource["spec"]["template"]["spec"]
        elif resource["kind"] == "CronJob":
            yield resource["metadata"]["name"], resource["spec"]["jobTemplate"]["spec"]["template"]["spec"]


def containers(pod):
    return pod.get("initContainers", []) + pod["containers"]


def by_name(items, name):
    return next(item for item in items if item["name"] == name)


def test_there_is_an_overlay_for_a_small_and_a_large_site():
    assert {"small", "large"} <= set(OVERLAYS)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_web_pods_are_probed_on_healthz(rendered, overlay):
    web = one(rendered[overlay], "Deployment", "web")["spec"]["template"]["spec"]
    container = by_name(web["containers"], "web")
    (port,) = container["ports"]
    assert port["containerPort"] == 8000  # docker/gunicorn.conf.py binds $PORT, 8000 in the image
    for probe in ("startupProbe", "readinessProbe"):
        assert container[probe]["httpGet"] == {"path": "/healthz", "port": port["name"]}
    # A database outage answers 503 on /healthz everywhere: liveness must not restart every pod for it.
    assert "httpGet" not in container["livenessProbe"]
    assert container["resources"]["requests"]["cpu"]
    assert container["resources"]["limits"]["memory"]


def test_the_user_is_the_dockerfiles():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"useradd --uid 1000 ", dockerfile)
    assert re.search(r"groupadd --gid 1000 ", dockerfile)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_pod_runs_as_the_images_user_on_a_read_only_root(rendered, overlay):
    pods = list(pod_templates(rendered[overlay]))
    assert len(pods) >= 5  # web, worker, migrate, two CronJobs
    for name, pod in pods:
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["runAsUser"] == 1000, name
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert pod["automountServiceAccountToken"] is False, name
        for container in containers(pod):
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, (name, container["name"])
            assert context["allowPrivilegeEscalation"] is False, (name, container["name"])
            assert context["capabilities"]["drop"] == ["ALL"], (name, container["name"])
        # What the app writes goes to memory-backed or scratch volumes, never the image.
        volumes = {volume["name"]: volume for volume in pod.get("volumes", [])}
        main = pod["containers"][0]
        tmp = [mount for mount in main.get("volumeMounts", []) if mount["mountPath"] == "/tmp"]
        assert tmp and "emptyDir" in volumes[tmp[0]["name"]], name


def test_gunicorns_heartbeat_files_need_no_writable_root():
    # /dev/shm is the container's own memory filesystem, writable with a read-only root.
    assert 'worker_tmp_dir = "/dev/shm"' in (ROOT / "docker" / "gunicorn.conf.py").read_text()


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_uploads_go_to_a_bucket_not_to_a_pods_disk(rendered, overlay):
    (settings,) = of_kind(rendered[overlay], "ConfigMap")
    assert settings["data"]["AWS_STORAGE_BUCKET_NAME"]
    assert settings["data"]["SERVE_MEDIA"] == "0"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_web_is_autoscaled_and_kept_through_drains(rendered, overlay):
    resources = rendered[overlay]
    web = one(resources, "Deployment", "web")
    # The autoscaler owns the number of pods; a replicas field would reset it at each apply.
    assert "replicas" not in web["spec"]
    autoscaler = one(resources, "HorizontalPodAutoscaler", "web")
    assert autoscaler["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}
    assert 2 <= autoscaler["spec"]["minReplicas"] < autoscaler["spec"]["maxReplicas"]
    budget = one(resources, "PodDisruptionBudget", "web")
    assert budget["spec"]["selector"]["matchLabels"].items() <= web["spec"]["template"]["metadata"]["labels"].items()
    assert web["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


def test_the_large_site_runs_several_email_workers(rendered):
    # Safe: the email workers take rows with SELECT … FOR UPDATE SKIP LOCKED (queue_due_mail, and
    # django-tasks-db's db_worker underneath manage.py email_worker).
    assert one(rendered["large"], "Deployment", "worker")["spec"]["replicas"] > 1
    services = (ROOT / "petitions" / "services.py").read_text()
    assert "select_for_update(skip_locked=True)" in services
    assert (
        one(rendered["large"], "HorizontalPodAutoscaler", "web")["spec"]["maxReplicas"]
        > one(rendered["small"], "HorizontalPodAutoscaler", "web")["spec"]["maxReplicas"]
    )


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_release_migrates_once_before_its_pods_serve(rendered, overlay):
    resources = rendered[overlay]
    web = one(resources, "Deployment", "web")
    image = by_name(web["spec"]["template"]["spec"]["containers"], "web")["image"]
    tag = image.rsplit(":", 1)[1]
    (job,) = of_kind(resources, "Job")
    assert job["metadata"]["name"] == f"migrate-{tag}"
    migrate = job["spec"]["template"]["spec"]["containers"][0]
    assert migrate["image"] == image
    assert migrate["args"] == ["migrate"]
    assert "    migrate)\n" in (ROOT / "docker" / "entrypoint.sh").read_text()
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    assert job["spec"]["ttlSecondsAfterFinished"] > 0
    # The new pods wait until the database has every migration of their release.
    for name in ("web", "worker"):
        pod = one(resources, "Deployment", name)["spec"]["template"]["spec"]
        (wait,) = pod["initContainers"]
        assert wait["image"] == image
        assert "manage.py migrate --check" in " ".join(wait["args"])


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_daily_cronjobs_run_commands_that_exist(rendered, overlay):
    cronjobs = of_kind(rendered[overlay], "CronJob")
    commands = set()
    for cronjob in cronjobs:
        fields = cronjob["spec"]["schedule"].split()
        assert len(fields) == 5 and fields[2:] == ["*", "*", "*"], cronjob["spec"]["schedule"]  # daily
        assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
        args = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["args"]
        assert args[:2] == ["python", "manage.py"]
        commands.add(args[2])
    assert "purge_signatures" in commands
    assert commands <= set(get_commands())


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_pod_reads_the_generated_settings_and_secret(rendered, overlay):
    resources = rendered[overlay]
    (settings,) = of_kind(resources, "ConfigMap")
    (secret,) = of_kind(resources, "Secret")
    # kustomize's hash suffix: a change of either rolls the pods.
    assert re.fullmatch(r"settings-[a-z0-9]{10}", settings["metadata"]["name"])
    assert re.fullmatch(r"secrets-[a-z0-9]{10}", secret["metadata"]["name"])
    assert {"SECRET_KEY", "SIGNATURE_HASH_KEY", "DATA_ENCRYPTION_KEY", "DATABASE_URL", "CACHE_URL", "EMAIL_URL"} <= set(
        secret["data"]
    )
    assert settings["data"]["DEBUG"] == "0"
    assert settings["data"]["TASKS_BACKEND"] == "database"
    for name, pod in pod_templates(resources):
        for container in containers(pod):
            sources = {
                (kind, source[kind]["name"])
                for source in container["envFrom"]
                for kind in ("configMapRef", "secretRef")
                if kind in source
            }
            assert sources == {
                ("configMapRef", settings["metadata"]["name"]),
                ("secretRef", secret["metadata"]["name"]),
            }
            for variable in container.get("env", []):
                if "valueFrom" in variable:
                    reference = variable["valueFrom"]["secretKeyRef"]
                    assert reference["name"] == secret["metadata"]["name"]
                    assert reference["key"] in secret["data"], (name, reference["key"])


def test_every_setting_the_manifests_set_is_a_documented_setting():
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))
    files = [*KUBERNETES.glob("**/settings.env"), KUBERNETES / "secret.env.example"]
    names = set()
    for path in files:
        names |= set(re.findall(r"^([A-Z][A-Z0-9_]*)=", path.read_text(), re.MULTILINE))
    # DIRECT_DATABASE_URL is the manifests' own: the migration Job's DATABASE_URL.
    assert names - documented == {"DIRECT_DATABASE_URL"}


def test_the_secret_example_holds_placeholders_only():
    for line in (KUBERNETES / "secret.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, value = line.split("=", 1)
            assert "replace" in value, name


def test_the_operators_secret_files_are_never_committed():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "deploy/kubernetes/overlays/small/secret.env"], cwd=ROOT, timeout=30
    )
    assert ignored.returncode == 0


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_ingress_takes_uploads_and_sends_everything_to_the_web_service(rendered, overlay):
    resources = rendered[overlay]
    ingress = one(resources, "Ingress", "web")
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"] == "10m"
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    assert path["path"] == "/" and path["backend"]["service"]["name"] == "web"
    service = one(resources, "Service", "web")
    assert path["backend"]["service"]["port"]["name"] == service["spec"]["ports"][0]["name"]
    assert rule["host"] in ingress["spec"]["tls"][0]["hosts"]
    (settings,) = of_kind(resources, "ConfigMap")
    assert rule["host"] in settings["data"]["ALLOWED_HOSTS"].split(",")
    assert settings["data"]["SITE_URL"] == f"https://{rule['host']}"


def test_the_large_sites_migrations_and_purges_bypass_the_pooler(rendered):
    resources = rendered["large"]
    (settings,) = of_kind(resources, "ConfigMap")
    assert settings["data"]["DATABASE_POOLER"] == "transaction"
    for name, pod in pod_templates(resources):
        if name.startswith("migrate") or any(c["metadata"]["name"] == name for c in of_kind(resources, "CronJob")):
            env = {variable["name"]: variable for variable in pod["containers"][0]["env"]}
            assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"]["key"] == "DIRECT_DATABASE_URL", name
            assert env["DATABASE_POOLER"]["value"] == "none", name
