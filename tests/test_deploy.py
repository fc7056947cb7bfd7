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
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path, PurePosixPath

import yaml

from assessment import cli, mail_sender, storage
from assessment.ui import BASE_URL_ENV

ROOT = Path(__file__).resolve().parents[1]
HEALTH_PATH = "/_stcore/health"  # Streamlit's; tests/test_wheel_install.py asks it on a server
DOMAIN_ENV = "WERKBAAR_DOMAIN"  # the deployment's own: Caddy's site address, the base URL
PG_PASSWORD_ENV = "WERKBAAR_PG_PASSWORD"  # compose.replicas.yaml's own: the database password
REPLICAS = "compose.replicas.yaml"  # several app processes on PostgreSQL (issue 16)
REPLICAS_ENV = "WERKBAAR_REPLICAS"  # compose.replicas.yaml's own: how many app containers


def _dockerfile() -> dict[str, list[str]]:
    """Each instruction of the final stage (continuation lines joined, comments dropped)."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    stage: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            if keyword.upper() == "FROM":
                stage = {}
            stage.setdefault(keyword.upper(), []).append(rest.strip())
    return stage


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
                 "deploy/Caddyfile.replicas"):
        named |= set(re.findall(r"WERKBAAR_[A-Z_]+", (ROOT / path).read_text(encoding="utf-8")))
    named -= {DOMAIN_ENV, PG_PASSWORD_ENV, REPLICAS_ENV}
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
    environment = _environment("app")
    assert _smtp_settings() <= {name for name, value in environment.items() if value is None}
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
    needed = {"pyproject.toml", project["project"]["readme"], *project["project"]["license-files"]}
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

def _required(value: str, name: str) -> bool:
    """Whether ``value`` is ``${name:?message}``: compose refuses to start without it."""
    return re.fullmatch(rf"\$\{{{name}:\?[^}}]+\}}", value) is not None


def test_replicas_run_the_same_image_with_the_same_settings_but_the_database():
    """The replicas are the single-process deployment's app service with PostgreSQL instead of
    the SQLite volume: the same build and entry command, every other setting passed on alike,
    and no volume (a replica keeps nothing on disk that another would need)."""
    single, several = _compose()["services"]["app"], _compose(REPLICAS)["services"]["app"]
    assert several["build"] == single["build"] and several["image"] == single["image"]
    assert "command" not in several and several["init"] is True
    alike = {k: v for k, v in _environment("app").items() if k != storage.DB_ENV}
    assert {k: v for k, v in _environment("app", REPLICAS).items()
            if k != storage.DB_ENV} == alike
    assert "volumes" not in several
    port = cli.build_parser().parse_args(dockerfile_command()[1:]).port
    assert several["expose"] == [str(port)]


def test_replicas_share_one_postgresql_database_whose_password_must_be_set():
    compose = _compose(REPLICAS)
    db, app = compose["services"]["db"], compose["services"]["app"]
    assert db["image"] == "postgres:15"
    settings = dict(entry.split("=", 1) for entry in db["environment"])
    assert _required(settings["POSTGRES_PASSWORD"], PG_PASSWORD_ENV)
    url = _environment("app", REPLICAS)[storage.DB_ENV]
    assert storage.is_url(url)
    match = re.fullmatch(r"postgresql://(\w+):(\$\{[^}]+\})@db:5432/(\w+)", url)
    assert match, url
    user, password, database = match.groups()
    assert (user, database) == (settings["POSTGRES_USER"], settings["POSTGRES_DB"])
    assert _required(password, PG_PASSWORD_ENV)
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
