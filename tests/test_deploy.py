"""The container files agree with the code, so the deployment documents cannot drift silently.

Docker is not needed: the Dockerfile, ``.dockerignore``, ``compose.yaml`` and
``deploy/Caddyfile`` (for several replicas ``compose.replicas.yaml`` and
``deploy/Caddyfile.replicas``) are read as text (compose with pyyaml). Each test fails when a
file names a ``werkbaar`` sub-command or option that does not exist, a setting the code does
not read, a port or health path the other files do not use, a database outside the volume (or,
for the replicas, one that is not the shared PostgreSQL with a password that must be set), a
proxy that does not keep a browser on one replica, or leaves out of the build context a file
the wheel is built from. That the entry command really serves the installed app is tested in
``tests/test_wheel_install.py``, which runs :func:`dockerfile_command`.

Running unattended (issue 28): the users' time zone in the image and the app services, every
container's log rotated, time to stop cleanly, base images pinned by digest, Python packages
from lock files with hashes, secrets as files (Docker secrets, never a password in a
variable), and the optional continuous copy (Litestream) of the SQLite volume. Where the
``docker compose`` command (or ``docker-compose``) is installed, it validates both files.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path, PurePosixPath

import pytest
import yaml
from packaging.requirements import Requirement

from assessment import cli, clock, mail_sender, storage
from assessment.settings import FILE_SUFFIX
from assessment.ui import BASE_URL_ENV

ROOT = Path(__file__).resolve().parents[1]
HEALTH_PATH = "/_stcore/health"  # Streamlit's; tests/test_wheel_install.py asks it on a server
DOMAIN_ENV = "WERKBAAR_DOMAIN"  # the deployment's own: Caddy's site address, the base URL
REPLICAS = "compose.replicas.yaml"  # several app processes on PostgreSQL (issue 16)
REPLICAS_ENV = "WERKBAAR_REPLICAS"  # compose.replicas.yaml's own: how many app containers
LOCKS = ("requirements.lock", "requirements-build.lock")  # the image's packages, with hashes
COMPOSE_FILES = ("compose.yaml", REPLICAS)
STOP_GRACE_S = 15  # the server needs 7-9 s to stop under load; Docker's default is 10 s
DIGEST = re.compile(r"[a-z0-9./_-]+:[\w.-]+@sha256:[0-9a-f]{64}")


def _stages() -> list[dict[str, list[str]]]:
    """Each stage's instructions (continuation lines joined, comments dropped)."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    stages: list[dict[str, list[str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            if keyword.upper() == "FROM":
                stages.append({})
            stages[-1].setdefault(keyword.upper(), []).append(rest.strip())
    return stages


def _dockerfile() -> dict[str, list[str]]:
    """Each instruction of the final stage."""
    return _stages()[-1]


def dockerfile_command() -> list[str]:
    """The image's entry command (``CMD`` in exec form)."""
    (cmd,) = _dockerfile()["CMD"]
    return json.loads(cmd)


def _compose(name: str = "compose.yaml") -> dict:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def _environment(service: str, compose: str = "compose.yaml") -> dict[str, str | None]:
    """A compose service's environment: name → value (None: passed on from .env or the shell)."""
    entries = _compose(compose)["services"][service]["environment"]
    return {name: (value if sep else None) for name, sep, value in
            (entry.partition("=") for entry in entries)}


def dockerfile_env() -> dict[str, str]:
    """The final stage's ``ENV`` settings."""
    pairs = " ".join(_dockerfile()["ENV"]).split()
    return dict(pair.split("=", 1) for pair in pairs)


def _code_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "assessment").rglob("*.py"))


def test_entry_command_is_werkbaar_run_with_real_options_on_the_exposed_port():
    command = dockerfile_command()
    assert command[0] == "werkbaar"
    args = cli.build_parser().parse_args(command[1:])  # exits on an unknown command or option
    assert args.command == "run" and args.address == "0.0.0.0"
    (exposed,) = _dockerfile()["EXPOSE"]
    assert str(args.port) == exposed


def test_healthcheck_asks_streamlit_s_health_path_on_that_port_without_curl():
    (check,) = _dockerfile()["HEALTHCHECK"]
    port = cli.build_parser().parse_args(dockerfile_command()[1:]).port
    assert f"http://127.0.0.1:{port}{HEALTH_PATH}" in check
    assert "urllib.request" in check and "curl" not in check


def test_the_database_is_on_the_volume_in_the_image_and_in_compose():
    database = PurePosixPath(dockerfile_env()[storage.DB_ENV])
    (volume,) = _dockerfile()["VOLUME"]
    assert str(database.parent) == volume
    assert _environment("app")[storage.DB_ENV] == str(database)
    mounts = _compose()["services"]["app"]["volumes"]
    named = [m.split(":") for m in mounts if not m.startswith((".", "/"))]
    assert [target for _, target in named] == [volume]
    assert {name for name, _ in named} <= set(_compose()["volumes"])


def test_the_image_runs_as_a_user_other_than_root():
    (user,) = _dockerfile()["USER"]
    assert user not in ("root", "0")


def test_every_setting_in_the_deployment_files_is_read_by_the_code():
    code = _code_text()
    named = set()
    for path in ("Dockerfile", "compose.yaml", "deploy/Caddyfile", REPLICAS,
                 "deploy/Caddyfile.replicas", "deploy/litestream.yml"):
        named |= set(re.findall(r"WERKBAAR_[A-Z_]+", (ROOT / path).read_text(encoding="utf-8")))
    named -= {DOMAIN_ENV, REPLICAS_ENV}
    # NAME_FILE works only for the settings read through assessment.settings
    as_files = {n.removesuffix(FILE_SUFFIX) for n in named if n.endswith(FILE_SUFFIX)}
    assert as_files and as_files <= {storage.DB_ENV} | _smtp_settings(), as_files
    named = {n.removesuffix(FILE_SUFFIX) for n in named}
    assert named and all(f'"{name}"' in code or name in _smtp_settings() for name in named), \
        sorted(n for n in named if f'"{n}"' not in code)


def _smtp_settings() -> set[str]:
    """The SMTP variables :mod:`assessment.mail_sender` documents and reads (``ENV + name``)."""
    names = set(re.findall(r"WERKBAAR_SMTP_[A-Z]+", mail_sender.__doc__))
    source = Path(mail_sender.__file__).read_text(encoding="utf-8")
    read = {mail_sender.ENV + name for name in re.findall(r'ENV \+ "([A-Z]+)"', source)}
    assert names == read, names ^ read
    return read


def test_compose_passes_every_smtp_setting_on_and_sets_the_public_https_base_url():
    """Every SMTP setting is passed on from .env, but the password, which is a Docker secret
    file (a variable is shown by docker inspect)."""
    environment = _environment("app")
    password = mail_sender.ENV + "PASSWORD"
    assert _smtp_settings() - {password} <= {n for n, v in environment.items() if v is None}
    assert password not in environment
    assert environment[password + FILE_SUFFIX] == "/run/secrets/smtp_password"
    assert re.fullmatch(rf"https://\$\{{{DOMAIN_ENV}(:\?[^}}]*)?\}}", environment[BASE_URL_ENV])


def test_caddy_serves_the_domain_and_proxies_to_the_app_s_port():
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    port = cli.build_parser().parse_args(dockerfile_command()[1:]).port
    assert re.search(rf"^\{{\${DOMAIN_ENV}\}} \{{$", caddyfile, re.M)
    assert re.search(rf"^\s*reverse_proxy app:{port}$", caddyfile, re.M)
    caddy = _compose()["services"]["caddy"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in caddy["volumes"]
    assert DOMAIN_ENV in _environment("caddy")
    assert {"80:80", "443:443"} <= set(caddy["ports"])
    assert caddy["depends_on"]["app"]["condition"] == "service_healthy"


def test_the_build_context_holds_what_the_wheel_is_built_from_and_nothing_else():
    """``.dockerignore`` is an allow-list; it must hold exactly the project's packages, the
    app folder's module and package data, the readme and the licence (pyproject.toml)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = project["tool"]["setuptools"]
    needed = {"pyproject.toml", project["project"]["readme"], *project["project"]["license-files"],
              *LOCKS}
    mapped = setuptools["package-dir"]
    for package in setuptools["packages"]:
        if package in mapped:
            folder = ROOT / mapped[package]
            needed |= {p.name for p in folder.glob("*.py")}  # its modules: app.py
            for pattern in setuptools["package-data"][package]:
                first = pattern.split("/")[0]
                needed.add(pattern if "*" not in pattern else first + "/")
        else:
            needed.add(package.split(".")[0] + "/")
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    allowed = {line[1:] for line in lines if line.startswith("!")}
    first_allowed = min(i for i, line in enumerate(lines) if line.startswith("!"))
    assert "*" in lines[:first_allowed]  # everything else is left out
    assert allowed == needed


def test_streamlit_settings_are_production_defaults():
    """The settings the wheel and the container ship: no traceback in the browser (the app shows
    a reference id instead), no usage statistics sent anywhere, and no file watcher (a checkout
    pulled under a running server reloaded modules in the middle of respondents' runs)."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["fileWatcherType"] == "none"


# --- several replicas on PostgreSQL (compose.replicas.yaml, deploy/Caddyfile.replicas) -------

def test_replicas_run_the_same_image_with_the_same_settings_but_the_database():
    """The replicas are the single-process deployment's app service with PostgreSQL instead of
    the SQLite volume: the same build and entry command, every other setting passed on alike,
    and no volume (a replica keeps nothing on disk that another would need)."""
    single, several = _compose()["services"]["app"], _compose(REPLICAS)["services"]["app"]
    assert several["build"] == single["build"] and several["image"] == single["image"]
    assert "command" not in several and several["init"] is True
    database = {storage.DB_ENV, storage.DB_ENV + FILE_SUFFIX}
    alike = {k: v for k, v in _environment("app").items() if k not in database}
    assert {k: v for k, v in _environment("app", REPLICAS).items()
            if k not in database} == alike
    assert "volumes" not in several
    port = cli.build_parser().parse_args(dockerfile_command()[1:]).port
    assert several["expose"] == [str(port)]


def test_replicas_share_one_postgresql_database_whose_password_is_a_secret_file():
    """The database's password and the app's URL (which holds it) are Docker secrets: files
    under /run/secrets, given as ``<NAME>_FILE``, never a variable with the password."""
    compose = _compose(REPLICAS)
    db, app = compose["services"]["db"], compose["services"]["app"]
    assert db["image"].startswith("postgres:15@sha256:")
    settings = dict(entry.split("=", 1) for entry in db["environment"])
    assert "POSTGRES_PASSWORD" not in settings
    assert settings["POSTGRES_PASSWORD_FILE"] == "/run/secrets/pg_password"
    environment = _environment("app", REPLICAS)
    assert storage.DB_ENV not in environment
    assert environment[storage.DB_ENV + FILE_SUFFIX] == "/run/secrets/database_url"
    assert {"database_url", "smtp_password"} <= set(app["secrets"])
    assert "pg_password" in db["secrets"] and "pg_password" not in app["secrets"]
    header = (ROOT / REPLICAS).read_text(encoding="utf-8")  # the setup it documents
    assert re.search(r"postgresql://werkbaar:%s@db:5432/werkbaar' \"\$password\" > "
                     r"secrets/database_url", header)
    assert (settings["POSTGRES_USER"], settings["POSTGRES_DB"]) == ("werkbaar", "werkbaar")
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert db["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    (mount,) = db["volumes"]
    volume, target = mount.split(":")
    assert target == "/var/lib/postgresql/data" and volume in compose["volumes"]


def test_replicas_are_counted_by_a_setting_with_a_default():
    assert re.fullmatch(rf"\$\{{{REPLICAS_ENV}:-[1-9]\d*\}}",
                        str(_compose(REPLICAS)["services"]["app"]["deploy"]["replicas"]))


def test_caddy_keeps_each_browser_on_one_replica_and_finds_them_all():
    """Sticky by a cookie (Streamlit's session lives in one process, behind one websocket), the
    upstreams found by the app service's name on the app's port, TLS for the domain and the
    same security header as the single-process Caddyfile."""
    text = (ROOT / "deploy" / "Caddyfile.replicas").read_text(encoding="utf-8")
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    port = cli.build_parser().parse_args(dockerfile_command()[1:]).port
    assert re.search(rf"^\{{\${DOMAIN_ENV}\}} \{{$", code, re.M)
    assert re.search(rf"^\s*dynamic a app {port}\b", code, re.M)
    assert re.search(r"^\s*lb_policy cookie\b", code, re.M)
    single = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    (hsts,) = re.findall(r"^\s*header Strict-Transport-Security .*$", single, re.M)
    assert hsts in code
    caddy = _compose(REPLICAS)["services"]["caddy"]
    assert "./deploy/Caddyfile.replicas:/etc/caddy/Caddyfile:ro" in caddy["volumes"]
    assert caddy["ports"] == _compose()["services"]["caddy"]["ports"]
    assert caddy["depends_on"]["app"]["condition"] == "service_healthy"
    assert DOMAIN_ENV in _environment("caddy", REPLICAS)


def test_the_app_sees_each_client_s_address_and_only_caddy_reaches_it():
    """The limit on wrong slip codes is kept per client address (assessment/ui/slips.py):
    behind Caddy, Streamlit's server (uvicorn) must take the address from X-Forwarded-For, or
    every browser counts as Caddy's one address and five wrong codes make every slip user wait.
    Trusting the header is safe only when nobody but Caddy reaches the app's port."""
    for name in ("compose.yaml", REPLICAS):
        app = _compose(name)["services"]["app"]
        assert _environment("app", name).get("FORWARDED_ALLOW_IPS") == "*", name
        assert "ports" not in app, name  # exposed on the compose network only


# --- running unattended (issue 28) ------------------------------------------------------------

def _services():
    """(file, name, service) of every service of both compose files."""
    for name in COMPOSE_FILES:
        for service, spec in _compose(name)["services"].items():
            yield name, service, spec


def _seconds(duration: str) -> float:
    """A compose duration (``30s``, ``1m30s``) in seconds."""
    parts = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", duration)
    assert parts and duration, duration
    hours, minutes, seconds = (int(p or 0) for p in parts.groups())
    return hours * 3600 + minutes * 60 + seconds


def test_the_image_and_the_app_services_run_in_the_users_time_zone():
    """Without TZ a container's clock is UTC: a reminder "at 09:00" went out at 10:00 or
    11:00 in Brussels and rounds turned on UTC dates. The code decides in Brussels time anyway
    (assessment/clock.py, tests/test_clock.py); the image and compose agree with it."""
    assert dockerfile_env()["TZ"] == clock.ZONE_NAME
    for name in COMPOSE_FILES:
        assert _environment("app", name)["TZ"] == clock.ZONE_NAME, name


def test_every_container_s_log_is_rotated():
    """Docker's default json-file log of a container grows until the disk is full."""
    for name, service, spec in _services():
        logging = spec.get("logging") or {}
        assert logging.get("driver") in ("json-file", "local"), (name, service)
        options = logging.get("options") or {}
        assert re.fullmatch(r"\d+[kmg]", str(options.get("max-size", ""))), (name, service)
        assert 1 <= int(options.get("max-file", 0)) <= 20, (name, service)


def test_the_app_is_given_time_to_stop_cleanly():
    for name in COMPOSE_FILES:
        app = _compose(name)["services"]["app"]
        assert _seconds(app["stop_grace_period"]) >= STOP_GRACE_S, name


def test_every_base_image_is_pinned_by_digest():
    """A floating tag (python:3.11-slim, caddy:2, postgres:15) gave two builds a month apart
    different systems. Every FROM and every image pulled by compose names a digest; only the
    image compose builds itself (werkbaar:latest, ``build: .``) has none."""
    froms = [stage["FROM"][0].split()[0] for stage in _stages()]
    assert froms and all(DIGEST.fullmatch(image) for image in froms), froms
    for name, service, spec in _services():
        if "build" in spec:
            continue
        assert DIGEST.fullmatch(spec["image"]), (name, service, spec["image"])


def _locked(path: Path) -> dict[str, tuple[str, list[str]]]:
    """A lock file's requirements: name → (version, hashes)."""
    text = re.sub(r"\\\n\s*", " ", path.read_text(encoding="utf-8"))
    locked = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirement, *options = line.split()
            name, _, version = requirement.partition("==")
            assert version, f"{path.name}: {requirement} is not pinned with =="
            locked[name.lower().replace("_", "-")] = (version, [
                o.removeprefix("--hash=") for o in options if o.startswith("--hash=sha256:")])
    return locked


def test_the_image_installs_python_packages_only_from_lock_files_with_hashes():
    """Both stages install from a lock file with ``--require-hashes`` (pip then refuses any
    file whose hash is not listed, and any package not pinned); the app's wheel comes last,
    with ``--no-deps``, and is built without fetching a build backend."""
    build, final = _stages()[0], _stages()[-1]
    assert any("requirements-build.lock" in c for c in build["COPY"])
    assert any(re.search(r"pip install .*--require-hashes -r requirements-build\.lock", r)
               for r in build["RUN"])
    assert any("pip wheel" in r and "--no-build-isolation" in r for r in build["RUN"])
    assert any(c.split()[0] == "requirements.lock" for c in final["COPY"])
    installs = [r for r in final["RUN"] if "pip install" in r]
    assert re.search(r"pip install .*--require-hashes -r /tmp/requirements\.lock", installs[0])
    assert len(installs) == 2 and "--no-deps" in installs[1] and ".whl" in installs[1]
    for lock in LOCKS:
        locked = _locked(ROOT / lock)
        assert locked and all(hashes for _, hashes in locked.values()), lock


def test_the_lock_files_hold_what_pyproject_toml_asks_for():
    """A dependency added to pyproject.toml and not to the lock would be missing from the
    image (its wheel is installed with --no-deps): make the lock again (its header says how)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for lock, wanted in (("requirements.lock", project["project"]["dependencies"]),
                         ("requirements-build.lock", project["build-system"]["requires"])):
        locked = _locked(ROOT / lock)
        for text in wanted:
            requirement = Requirement(text)
            name = requirement.name.lower().replace("_", "-")
            assert name in locked, f"{name} is not in {lock}"
            assert requirement.specifier.contains(locked[name][0]), (lock, text, locked[name])
            for extra in requirement.extras:  # psycopg[binary] → psycopg-binary
                assert f"{name}-{extra}" in locked, (lock, text)


def test_secrets_are_files_never_variables():
    """Every ``*_FILE`` setting of a service points at /run/secrets/<a secret the service
    mounts>, every secret is a file of ./secrets/ (in .gitignore, out of the build context), and
    no service is given a password, secret or key as a variable."""
    for name, service, spec in _services():
        entries = dict(entry.partition("=")[::2] for entry in spec.get("environment", []))
        for variable, value in entries.items():
            assert not re.search(r"PASSWORD|SECRET|KEY", variable) or \
                variable.endswith(FILE_SUFFIX), (name, service, variable)
            if variable.endswith(FILE_SUFFIX):
                secret = PurePosixPath(value)
                assert secret.parent == PurePosixPath("/run/secrets"), (name, variable, value)
                assert secret.name in spec["secrets"], (name, service, secret.name)
        for secret in spec.get("secrets", []):
            assert _compose(name)["secrets"][secret]["file"] == f"./secrets/{secret}"
    assert "/secrets/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_the_continuous_copy_is_an_optional_litestream_service_on_the_app_s_volume():
    """Litestream (profile ``litestream``) copies the SQLite database as it is written; it must
    watch the very file the app writes, on the same volume, with the config the repository
    ships, as the app's user, pinned like the other images. tests/test_litestream.py restores
    from a copy made with that config."""
    compose = _compose()
    litestream, app = compose["services"]["litestream"], compose["services"]["app"]
    assert litestream["profiles"] == ["litestream"]
    assert DIGEST.fullmatch(litestream["image"])
    assert litestream["image"].startswith("litestream/litestream:")
    assert litestream["command"][:3] == ["replicate", "-config", "/etc/litestream.yml"]
    assert "./deploy/litestream.yml:/etc/litestream.yml:ro" in litestream["volumes"]
    assert set(app["volumes"]) <= set(litestream["volumes"])  # the app's volume, same path
    config = yaml.safe_load((ROOT / "deploy" / "litestream.yml").read_text(encoding="utf-8"))
    [watched] = config["dbs"]
    assert watched["path"] == _environment("app")[storage.DB_ENV] == dockerfile_env()[
        storage.DB_ENV]
    assert watched["replica"]["url"] == "${LITESTREAM_REPLICA_URL}"
    assert "LITESTREAM_REPLICA_URL" in _environment("litestream")
    (useradd,) = [r for r in _dockerfile()["RUN"] if "useradd" in r]
    uid = re.search(r"--uid (\d+)", useradd).group(1)
    assert litestream["user"] == f"{uid}:{uid}"
    assert litestream["depends_on"]["app"]["condition"] == "service_healthy"


def _compose_command() -> list[str] | None:
    """``docker compose`` (the plugin) or ``docker-compose``, whichever is installed."""
    if shutil.which("docker") and subprocess.run(
            ["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    found = shutil.which("docker-compose")
    return [found] if found else None


@pytest.mark.parametrize("name", COMPOSE_FILES)
def test_docker_compose_accepts_the_file(name):
    """Compose's own reading of each file (also with the litestream profile): what the YAML
    checks above cannot see, such as a wrong key or type. .ci/run installs Debian's
    docker-compose; skipped only where no compose command is installed."""
    command = _compose_command()
    if command is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    # Debian's docker-compose is a program of the system's Python: none of the tests' settings
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env[DOMAIN_ENV] = "werkbaar.example.be"
    for profile in ([], ["--profile", "litestream"]):
        checked = subprocess.run([*command, "-f", name, *profile, "config", "-q"], cwd=ROOT,
                                 env=env, capture_output=True, text=True, timeout=120)
        assert checked.returncode == 0, checked.stderr
