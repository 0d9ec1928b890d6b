"""The production layout on one machine: `make serve-prod`, the benchmarks and the smoke test.

    nginx (front, static files) → gunicorn (gthread, load shedding) → PgBouncer
    (transaction pooling) → PostgreSQL; Celery worker and one beat on Redis.

Production settings throughout (DJANGO_ENV=production, a secret generated once
into the run folder), plain HTTP on 127.0.0.1 only. `python -m
prefecture.deploy.layout` runs it in the foreground until Ctrl-C; `Layout` is
what bench/ and tests/ start and stop around their runs.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = Path(__file__).resolve().parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


def fill(template: Path, values: dict[str, object]) -> str:
    text = template.read_text()
    for name, value in values.items():
        text = text.replace(f"@@{name}@@", str(value))
    return text


def static_is_stale() -> bool:
    """collectstatic has not run since the project's own static files last changed."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    return any(path.stat().st_mtime > built for path in (ROOT / "static").rglob("*"))


def _is_root() -> bool:
    return os.geteuid() == 0


def _chown(path: Path, user: str) -> None:
    if _is_root():
        shutil.chown(path, user=user)


@dataclass
class Layout:
    database_url: str  # PostgreSQL itself; the web processes go through PgBouncer when there is one
    broker_url: str
    run_dir: Path
    http_port: int = 8080
    web_port: int = 0
    pgbouncer_port: int | None = 0  # None: the web processes connect to PostgreSQL directly
    nginx: bool = True
    celery: bool = True  # one worker and the one beat
    migrate: bool = True
    web_workers: int | None = None
    pool_size: int = 20
    env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.run_dir = Path(self.run_dir).resolve()
        self.web_port = self.web_port or free_port()
        if self.pgbouncer_port == 0:
            self.pgbouncer_port = free_port()

    # --- what every process is told ------------------------------------------------------

    @property
    def front_port(self) -> int:
        return self.http_port if self.nginx else self.web_port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.front_port}"

    @property
    def pooled_database_url(self) -> str:
        if self.pgbouncer_port is None:
            return self.database_url
        parts = urlsplit(self.database_url)
        netloc = f"{parts.username or 'postgres'}@127.0.0.1:{self.pgbouncer_port}"
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))

    def secret_key(self) -> str:
        path = self.run_dir / "secret-key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(50))
            path.chmod(0o600)
        return path.read_text().strip()

    def django_env(self, *, direct: bool = False) -> dict[str, str]:
        """Production settings; `direct` for migrations, which bypass PgBouncer (see docs/deployment.md)."""
        env = {
            **os.environ,
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": self.secret_key(),
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_PLAIN_HTTP_ON_LOOPBACK": "true",
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{self.front_port},http://localhost:{self.front_port}",
            "CELERY_BROKER_URL": self.broker_url,
            "SITE_URL": self.base_url,
            "GUNICORN_BIND": f"127.0.0.1:{self.web_port}",
            "ADMISSION_TRUST_REQUEST_START": "true" if self.nginx else "false",
            "PYTHONPATH": str(ROOT),
        }
        if self.web_workers:
            env["WEB_CONCURRENCY"] = str(self.web_workers)
        if not env.get("EMAIL_HOST") and not env.get("EMAIL_BACKEND"):
            # On this machine only: e-mails are written to files, which production allows when told.
            env["EMAIL_FILE_PATH"] = str(self.run_dir / "sent-emails")
            env["EMAIL_ALLOW_UNSENT_IN_PRODUCTION"] = "true"
        env.update(self.env)
        if direct or self.pgbouncer_port is None:
            env["DATABASE_URL"] = self.database_url
            env.pop("DATABASE_PGBOUNCER", None)
        else:
            env["DATABASE_URL"] = self.pooled_database_url
            env["DATABASE_PGBOUNCER"] = "true"
        return env

    # --- preparing -------------------------------------------------------------------------

    def manage(self, *args: str) -> None:
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.django_env(direct=True), check=True)

    def prepare(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        if self.migrate:
            self.manage("migrate", "--no-input", "-v0")
        if static_is_stale():
            self.manage("collectstatic", "--no-input", "-v0")

    # --- the processes -----------------------------------------------------------------------

    def spawn(self, name: str, command: list[str], *, env: dict[str, str] | None = None) -> None:
        log = open(self.run_dir / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps it
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env or self.django_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_pgbouncer(self) -> None:
        folder = self.run_dir / "pgbouncer"
        folder.mkdir(exist_ok=True)
        parts = urlsplit(self.database_url)
        user = parts.username or "postgres"
        (folder / "pgbouncer-users.txt").write_text(f'"{user}" ""\n')
        values = {
            "DBNAME": parts.path.lstrip("/"),
            "PG_HOST": parts.hostname or "127.0.0.1",
            "PG_PORT": parts.port or 5432,
            "PORT": self.pgbouncer_port,
            "RUN_DIR": folder,
            "POOL_SIZE": self.pool_size,
        }
        ini = folder / "pgbouncer.ini"
        ini.write_text(fill(DEPLOY / "pgbouncer.ini", values))
        for path in (folder, *folder.iterdir()):
            _chown(path, "postgres")  # PgBouncer refuses to run as root
        command = ["pgbouncer", *(["-u", "postgres"] if _is_root() else []), str(ini)]
        self.spawn("pgbouncer", command, env=dict(os.environ))
        wait_for_port(self.pgbouncer_port)

    def start_nginx(self) -> None:
        tmp = self.run_dir / "nginx-tmp"
        tmp.mkdir(exist_ok=True)
        _chown(tmp, "www-data")
        values = {
            "USER": "user www-data;" if _is_root() else "",
            "RUN_DIR": self.run_dir,
            "ACCESS_LOG": f"{self.run_dir / 'nginx-access.log'} masked",
            "UPSTREAM": f"127.0.0.1:{self.web_port}",
            "LISTEN": f"127.0.0.1:{self.http_port}",
            "SERVER_NAME": "127.0.0.1 localhost",
            "STATIC_ROOT": ROOT / "staticfiles",
        }
        conf = self.run_dir / "nginx.conf"
        conf.write_text(fill(DEPLOY / "nginx.conf", values))
        self.spawn(
            "nginx", ["nginx", "-c", str(conf), "-p", str(self.run_dir), "-g", "daemon off;"], env=dict(os.environ)
        )

    def start(self) -> None:
        self.prepare()
        try:
            if self.pgbouncer_port is not None:
                self.start_pgbouncer()
            self.spawn("gunicorn", [PYTHON, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py")])
            if self.celery:
                celery = [PYTHON, "-m", "celery", "-A", "prefecture"]
                self.spawn("worker", [*celery, "worker", "--loglevel=INFO", "--without-gossip", "--without-mingle"])
                schedule = str(self.run_dir / "celerybeat-schedule")
                self.spawn("beat", [*celery, "beat", "--loglevel=INFO", f"--schedule={schedule}"])
            if self.nginx:
                self.start_nginx()
            self.wait_until_healthy()
        except BaseException:
            self.stop()
            raise

    def wait_until_healthy(self, *, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} stopped at start; see {self.run_dir / name}.log")
            try:
                with urllib.request.urlopen(f"{self.base_url}/readyz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"the layout did not become ready; logs in {self.run_dir}")

    def server_pids(self, name: str = "gunicorn") -> list[int]:
        """The master's pid and its workers' (for CPU accounting from /proc)."""
        master = self.processes[name].pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return [master, *map(int, children)]

    def stop(self) -> None:
        for name in reversed(list(self.processes)):
            process = self.processes.pop(name)
            if process.poll() is None:
                process.send_signal(signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    @contextmanager
    def running(self):
        self.start()
        try:
            yield self
        finally:
            self.stop()


def main() -> None:
    database_url = os.environ.get("DATABASE_URL")
    if not database_url or not database_url.startswith("postgres"):
        sys.exit("DATABASE_URL must point to PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/prefecture")
    layout = Layout(
        database_url=database_url,
        broker_url=os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"),
        run_dir=Path(os.environ.get("PROD_RUN_DIR", ROOT / "var" / "prod")),
        http_port=int(os.environ.get("PROD_HTTP_PORT", "8080")),
        pgbouncer_port=None if os.environ.get("PROD_PGBOUNCER") == "false" else 0,
    )
    stopping = False

    def request_stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    layout.start()
    print(f"Production layout ready on {layout.base_url} (logs in {layout.run_dir}); Ctrl-C stops it.", flush=True)
    while not stopping and all(process.poll() is None for process in layout.processes.values()):
        time.sleep(0.5)
    layout.stop()


if __name__ == "__main__":
    main()
