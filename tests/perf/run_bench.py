"""`make bench`: seed the bench database, start the portal as production runs it, drive each
scenario with locust from another process, check that nothing was lost, write the results.

    .venv/bin/python tests/perf/run_bench.py            # full size (BENCH_SCALE=1.0)
    BENCH_SCALE=0.01 BENCH_DURATION=10 BENCH_FLOOD_DURATION=15 \\
        .venv/bin/python tests/perf/run_bench.py

Environment variables: see tests/perf/README.md. Exit status: 0 when every measured target
passes and nothing was lost or doubled; 1 otherwise (2 when the harness itself failed).
"""

import json
import os
import platform
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import zipfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import multi  # noqa: E402
import report  # noqa: E402
import wrk_drive  # noqa: E402
from config import PERF_DIR, PROJECT_DIR, PYTHON, RESULTS_DIR, BenchConfig  # noqa: E402
from cpu import CpuSampler, add_cpu  # noqa: E402
from servers import MemorySampler, Portal  # noqa: E402

DB_COMMENT = "created by tests/perf/run_bench.py"
MARKER_TABLE = "bench_seed_marker"
# Distinct pages in the "spread" read scenarios: enough that most requests are rendered.
SPREAD_PAGES = 5000
# Scenarios that wrk drives when it is at hand (the rest sign in and post: locust).
READ_KINDS = ("read", "ceiling")


def log(message: str) -> None:
    sys.stdout.write(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}\n")
    sys.stdout.flush()


def log_cpu(result: dict) -> None:
    log(
        f"  CPU: load tool {result.get('load_cpu_percent')} % of a core; "
        f"server {result.get('server_cpu_ms_per_request')} ms/request, "
        f"PostgreSQL {result.get('postgres_cpu_ms_per_request')} ms/request"
    )


class Bench:
    def __init__(self, config: BenchConfig) -> None:
        self.config = config
        self.env = config.django_env()
        self.work = config.var_dir / "run"
        self.work.mkdir(parents=True, exist_ok=True)
        self.problems: list[str] = []
        self.scenarios: dict[str, dict] = {}
        self.integrity_failures: list[str] = []
        self.queries: dict = {}
        self.targets: dict = {}
        self.instances: dict = {}
        self.run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        self.portal: Portal | None = None
        # The lighter read client (wrk_drive.py); None = locust drives the reads too.
        self.wrk: str | None = None
        self.read_client_note = ""

    # --- commands -------------------------------------------------------------------
    def manage(self, *args: str, check: bool = True, capture: bool = False):
        return subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=PROJECT_DIR,
            env=self.env,
            check=check,
            capture_output=capture,
            text=True,
        )

    def measured(self, command: list[str]) -> dict:
        """Run a command under measure.py; its wall time and peak RSS."""
        completed = subprocess.run(
            [PYTHON, str(PERF_DIR / "measure.py"), "--", *command],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        lines = completed.stdout.strip().splitlines()
        try:
            result = json.loads(lines[-1])
        except (IndexError, json.JSONDecodeError):
            result = {"returncode": completed.returncode or 1}
        if result.get("returncode"):
            result["stderr_tail"] = completed.stderr[-1500:]
        return result

    def django_side(self, *args: str) -> dict:
        output = self.work / f"{args[0]}.json"
        # (the output file is the last argument of every django_side command)
        output.unlink(missing_ok=True)
        completed = subprocess.run(
            [PYTHON, str(PERF_DIR / "django_side.py"), *args, str(output)],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0 or not output.exists():
            raise RuntimeError(f"django_side {args[0]} failed:\n{completed.stderr[-3000:]}")
        return json.loads(output.read_text())

    # --- database and seed ----------------------------------------------------------
    def _connect(self, url: str):
        import psycopg

        return psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)

    def _database_exists(self) -> tuple[bool, str]:
        with self._connect(self.config.maintenance_url) as conn:
            row = conn.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                (self.config.database_name,),
            ).fetchone()
        return (row is not None, (row[0] or "") if row else "")

    def _create_database(self) -> None:
        from psycopg import sql

        name = sql.Identifier(self.config.database_name)
        with self._connect(self.config.maintenance_url) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
            comment = sql.SQL("COMMENT ON DATABASE {} IS {}")
            conn.execute(comment.format(name, sql.Literal(DB_COMMENT)))

    def _drop_database(self) -> None:
        from psycopg import sql

        exists, comment = self._database_exists()
        if exists and comment != DB_COMMENT:
            raise RuntimeError(
                f"database {self.config.database_name} holds another seed and was not created by "
                "the bench; refusing to drop it. Point BENCH_DATABASE_URL elsewhere."
            )
        with self._connect(self.config.maintenance_url) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(self.config.database_name)
                )
            )

    def _marker(self) -> dict | None:
        with self._connect(self.config.database_url) as conn:
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (scale double precision, seed integer,"
                " seeded_at timestamptz, seconds double precision, peak_rss_mb double precision,"
                " today date)"
            )
            # What seed_scale reported (its summary file lives in the VAR_DIR of the checkout
            # that seeded; kept here so a fresh clone reusing the seed can read it).
            conn.execute(f"ALTER TABLE {MARKER_TABLE} ADD COLUMN IF NOT EXISTS summary text")
            row = conn.execute(
                f"SELECT scale, seed, seeded_at, seconds, peak_rss_mb, summary FROM {MARKER_TABLE}"  # noqa: S608
            ).fetchone()
        if row is None:
            return None
        keys = ("scale", "seed", "seeded_at", "seconds", "peak_rss_mb", "summary")
        return dict(zip(keys, row, strict=True))

    def _keep_seed_summary(self) -> None:
        """Store this checkout's seed summary in the marker if the marker has none."""
        path = self.config.var_dir / "scale-seed.json"
        if not path.exists():
            return
        with self._connect(self.config.database_url) as conn:
            conn.execute(
                f"UPDATE {MARKER_TABLE} SET summary = %s WHERE summary IS NULL",  # noqa: S608
                (path.read_text(),),
            )

    def seed_summary(self) -> dict | None:
        marker = self._marker()
        if not marker or not marker.get("summary"):
            return None
        made = json.loads(marker["summary"])
        keys = ("seed", "scale", "today", "pending_deadlines", "seconds", "rows")
        return {key: made.get(key) for key in keys}

    def _has_data(self) -> bool:
        with self._connect(self.config.database_url) as conn:
            row = conn.execute(
                "SELECT to_regclass('consultations_proposal') IS NOT NULL"
            ).fetchone()
            if not row[0]:
                return False
            query = "SELECT EXISTS (SELECT 1 FROM consultations_proposal)"
            return conn.execute(query).fetchone()[0]

    def prepare_database(self) -> None:
        exists, _comment = self._database_exists()
        if not exists:
            log(f"creating database {self.config.database_name}")
            self._create_database()
        marker = self._marker()
        wanted = (self.config.scale, self.config.seed)
        if os.environ.get("BENCH_NO_SEED") == "1":
            log("BENCH_NO_SEED=1: measuring the data as it is")
            self.manage("migrate", "--noinput", capture=True)
            self.scenarios["seed_scale"] = {"kind": "seed", "skipped": "BENCH_NO_SEED=1"}
            return
        if marker and (marker["scale"], marker["seed"]) == wanted and not self.config.reseed:
            log(f"scale {wanted[0]} seed {wanted[1]} already loaded ({marker['seeded_at']:%F %R})")
            self.scenarios["seed_scale"] = {
                "kind": "seed", "scale": self.config.scale, "reused": True,
                "seconds": marker["seconds"], "peak_rss_mb": marker["peak_rss_mb"],
                "note": f"reused the seed of {marker['seeded_at']:%Y-%m-%d %H:%M}",
            }  # fmt: skip
            log("migrate")
            self.manage("migrate", "--noinput", capture=True)
            self._keep_seed_summary()
            return
        if marker or self._has_data():
            log(f"database {self.config.database_name} holds another seed: recreating it")
            self._drop_database()
            self._create_database()
        log("migrate")
        self.manage("migrate", "--noinput", capture=True)
        self.seed()

    def _seed_options(self) -> str:
        completed = self.manage("help", "seed_scale", check=False, capture=True)
        return completed.stdout if completed.returncode == 0 else ""

    def seed(self) -> None:
        help_text = self._seed_options()
        if not help_text:
            self.problems.append("`manage.py seed_scale` does not exist yet: nothing seeded")
            self.scenarios["seed_scale"] = {"kind": "seed", "skipped": "seed_scale missing"}
            return
        command = [PYTHON, "manage.py", "seed_scale", "--scale", str(self.config.scale)]
        if "--seed" in help_text:
            command += ["--seed", str(self.config.seed)]
        today = datetime.now(UTC).date().isoformat()
        if "--today" in help_text:
            command += ["--today", today]
        log(f"seeding: {' '.join(command[1:])}")
        result = self.measured(command)
        result.update(kind="seed", scale=self.config.scale)
        self.scenarios["seed_scale"] = result
        if result.get("returncode"):
            raise RuntimeError(f"seed_scale failed:\n{result.get('stderr_tail', '')}")
        log(f"seeded in {result['seconds']:.0f} s, peak {result['peak_rss_mb']:.0f} MB")
        c = self.config
        self._marker()  # creates the marker table in the fresh database
        with self._connect(self.config.database_url) as conn:
            conn.execute(f"DELETE FROM {MARKER_TABLE}")  # noqa: S608
            conn.execute(
                f"INSERT INTO {MARKER_TABLE} VALUES (%s, %s, now(), %s, %s, %s)",  # noqa: S608
                (c.scale, c.seed, result["seconds"], result["peak_rss_mb"], today),
            )
        self._keep_seed_summary()

    # --- scenarios ------------------------------------------------------------------
    def accounts_needed(self) -> int:
        c = self.config
        flood = c.flood_users * c.accounts_per_flood_user
        overload = 2 * c.flood_users * c.accounts_per_overload_user
        return c.support_users + flood + overload + 1 + multi.extra_accounts(c)

    def build_targets(self, found: dict) -> dict:
        urls: dict[str, str] = {"home": "/"}
        if "plan" in found:
            urls["plan"] = f"/plans/{found['plan']['pk']}/"
        # The portal-wide dashboard (issue #18): one stored row per request, target p95 < 150
        # ms at 20 users like every read. The first request counts it if beat has not yet.
        urls["dashboard"] = "/dashboard/"
        if "dashboard_member" in found:  # the member with the most public inputs
            urls["dashboard_member"] = f"/members/{found['dashboard_member']['slug']}/dashboard/"
        f = found.get("commitment_filter", {})
        if f.get("status"):
            urls["commitments_filtered"] = f"/commitments/?status={f['status']}"
        urls["commitments_search"] = f"/commitments/?q={f.get('q') or 'open'}"
        c = found.get("consultation")
        if c:
            pages = max(1, -(-c["proposals"] // 25))
            base = f"/consultations/{c['pk']}/proposals/"
            urls["proposals_first"] = base
            urls["proposals_deep"] = f"{base}?page={max(1, pages - 1)}"
            if c.get("filter_status"):
                urls["proposals_filter"] = f"{base}?status={c['filter_status']}"
            urls["proposals_search"] = f"{base}?q={c.get('q') or 'open'}"
            urls["report"] = f"/consultations/{c['pk']}/report/"
            urls["csv"] = f"/consultations/{c['pk']}/report.csv"
        ledger = found.get("ledger")
        if ledger:
            base = f"/plans/{ledger['pk']}/"
            urls["ledger"] = f"{base}inputs/"
            urls["ledger_filtered"] = (
                f"{base}inputs/?kind={ledger['kind']}&decision={ledger['decision']}"
            )
            urls["ledger_last"] = f"{base}inputs/?page=last"
            urls["influence"] = f"{base}influence/"
        # The public read API (records/api/): its largest collections, a full page each.
        urls["api_plans"] = "/api/v1/plans/?page_size=200"
        urls["api_commitments"] = "/api/v1/commitments/?page_size=200"
        if f.get("status"):
            urls["api_commitments_filtered"] = (
                f"/api/v1/commitments/?status={f['status']}&page_size=200"
            )
        urls["api_milestones"] = "/api/v1/milestones/?page_size=200"
        if c:
            urls["api_proposals"] = f"/api/v1/proposals/?consultation={c['pk']}&page_size=200"
        urls["api_meetings"] = "/api/v1/meetings/?page_size=200"
        b = found.get("busiest_proposal")
        if b:
            urls["comments_first"] = f"/consultations/proposals/{b['pk']}/"
            urls["comments_last"] = f"/consultations/proposals/{b['pk']}/?page=last"
        # "Any page": many different pages, so most requests find no stored copy and are
        # rendered (readers spread over the list, or a page just changed by a write).
        rng = random.Random(self.config.seed)  # noqa: S311 -- reproducible, not secret
        spread: dict[str, list[str]] = {}
        if c:
            numbers = range(2, max(3, -(-c["proposals"] // 25)))
            picked = rng.sample(numbers, min(SPREAD_PAGES, len(numbers)))
            spread["proposals_spread"] = [f"{urls['proposals_first']}?page={n}" for n in picked]
        if b:
            numbers = range(2, max(3, b["comment_count"] // 20))
            picked = rng.sample(numbers, min(SPREAD_PAGES, len(numbers)))
            spread["comments_spread"] = [f"{urls['comments_first']}?page={n}" for n in picked]
        return {**found, "urls": urls, "spread": spread}

    def drive(self, name: str, kind: str, users: int, duration: float, **extra) -> dict:
        scenario = {
            "name": name, "kind": kind, "users": users, "duration": duration,
            "host": self.config.base_url, **extra,
        }  # fmt: skip
        path = self.work / f"scenario-{name}.json"
        out = self.work / f"result-{name}.json"
        out.unlink(missing_ok=True)
        path.write_text(json.dumps(scenario))
        if kind in READ_KINDS and self.wrk:
            return self.drive_wrk(scenario)
        log(f"{name}: {users} users, {duration:.0f} s")
        sampler = self.cpu_sampler()
        completed = subprocess.run(
            [PYTHON, str(PERF_DIR / "drive.py"), str(path), str(out)],
            cwd=PROJECT_DIR,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            capture_output=True,
            text=True,
            check=False,
        )
        sampler.stop()
        if completed.returncode != 0 or not out.exists():
            result = {"kind": kind, "users": users, "outcomes": {"error": 1},
                      "note": "load driver failed: " + completed.stderr[-800:]}  # fmt: skip
        else:
            result = json.loads(out.read_text())
        add_cpu(result, sampler)
        outcomes = result.get("outcomes", {})
        result.setdefault("login_failures", {})
        log(
            f"  {result.get('rps', 0)} req/s, median {result.get('median_ms')} ms, "
            f"p95 {result.get('p95_ms')} ms, outcomes {outcomes}"
            + (f", sign-in problems {result['login_failures']}" if result["login_failures"] else "")
        )
        log_cpu(result)
        return result

    # --- the ceiling and the lighter read client (issue #20) --------------------------------
    def cpu_sampler(self) -> CpuSampler:
        """Started: samples the gunicorn group's and its PostgreSQL backends' CPU."""
        portal = self.portal

        def processes() -> list:
            import psutil

            master = portal.processes.get("gunicorn") if portal else None
            if master is None:
                return []
            try:
                return [psutil.Process(master.pid), *portal.web_workers()]
            except psutil.NoSuchProcess:
                return []

        return CpuSampler(processes, self.config.database_url).start()

    def setup_read_client(self) -> None:
        """wrk for the read scenarios (installed with apt-get if missing and we are root);
        locust if it cannot be had or BENCH_READ_DRIVER=locust."""
        if os.environ.get("BENCH_READ_DRIVER", "wrk") == "locust":
            self.read_client_note = "BENCH_READ_DRIVER=locust: the reads ran on locust"
            return
        self.wrk, self.read_client_note = wrk_drive.find_wrk()
        if self.read_client_note:
            self.problems.append(self.read_client_note)

    def drive_wrk(self, scenario: dict) -> dict:
        name, users = scenario["name"], scenario["users"]
        log(f"{name}: {users} connections (wrk), {scenario['duration']:.0f} s")
        sampler = self.cpu_sampler()
        try:
            result = wrk_drive.drive(
                self.wrk, {**scenario, "seed": self.config.seed}, self.work,
                timeout=float(os.environ.get("BENCH_CLIENT_TIMEOUT", "10")),
            )  # fmt: skip
        except (RuntimeError, ValueError) as error:
            result = {"kind": scenario["kind"], "users": users, "outcomes": {"error": 1},
                      "note": f"load driver failed: {error}"}  # fmt: skip
        finally:
            sampler.stop()
        add_cpu(result, sampler)
        log(
            f"  {result.get('rps', 0)} req/s, median {result.get('median_ms')} ms, "
            f"p95 {result.get('p95_ms')} ms, outcomes {result.get('outcomes')}"
        )
        log_cpu(result)
        return result

    def static_url(self) -> str:
        """The portal's CSS as a browser fetches it: its hashed name from collectstatic's
        manifest, served by whitenoise."""
        manifest = PROJECT_DIR / "staticfiles" / "staticfiles.json"
        name = "css/portal.css"
        if manifest.exists():
            name = json.loads(manifest.read_text()).get("paths", {}).get(name, name)
        return f"/static/{name}"

    def warm_up(self, url: str, seconds: float = 3) -> None:
        """Unmeasured requests first: each worker resolves its first URL and each of its
        threads opens its database connection on its first request, so the ceiling is a
        steady state. (It changed little: 2.76 ms of server CPU per request cold, 2.73 warm;
        the minimal view's cost is the middleware and the query, not the warm-up.)"""
        log(f"warming up the workers on {url} ({seconds:.0f} s, not measured)")
        if self.wrk:
            scenario = {
                "name": "warm-up", "kind": "ceiling", "users": self.config.read_users,
                "duration": seconds, "host": self.config.base_url, "urls": [url],
            }  # fmt: skip
            try:
                wrk_drive.drive(self.wrk, scenario, self.work, timeout=10)
            except (RuntimeError, ValueError) as error:
                log(f"  warm-up failed: {error}")
            return
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.config.base_url + url, timeout=10).read()  # noqa: S310
            except OSError as error:
                log(f"  warm-up failed: {error}")
                return

    def ceiling_scenarios(self) -> None:
        """Before everything else: the same gunicorn, middleware and database connection
        serving a minimal view (one indexed query) and a static file. Every read and write
        scenario is reported as a share of ceiling_view's req/s (report.py)."""
        if self.config.wants("ceiling_view"):
            self.warm_up("/bench/ceiling/")
        for name, url in (
            ("ceiling_view", "/bench/ceiling/"),
            ("ceiling_static", self.static_url()),
        ):
            if not self.config.wants(name):
                continue
            result = self.drive(
                name, "ceiling", self.config.read_users, self.config.duration, urls=[url]
            )
            result["note"] = url
            self.scenarios[name] = result

    def read_scenarios(self) -> None:
        urls = self.targets["urls"]
        for key in (
            "home", "plan", "commitments_filtered", "commitments_search", "proposals_first",
            "proposals_deep", "proposals_filter", "proposals_search", "comments_first",
            "comments_last", "report", "ledger", "ledger_filtered", "ledger_last", "influence",
            "api_plans", "api_commitments", "api_commitments_filtered", "api_milestones",
            "api_proposals", "api_meetings", "dashboard", "dashboard_member",
        ):  # fmt: skip
            name = f"read_{key}"
            if not self.config.wants(name):
                continue
            if key not in urls:
                self.scenarios[name] = {"kind": "read", "skipped": "nothing to read in this seed"}
                continue
            result = self.drive(
                name, "read", self.config.read_users, self.config.duration, urls=[urls[key]]
            )
            result.update(query_key=key, note=urls[key])
            self.scenarios[name] = result
        for key, query_key in (
            ("proposals_spread", "proposals_deep"),
            ("comments_spread", "comments_last"),
        ):
            name = f"read_{key}"
            pages = self.targets.get("spread", {}).get(key)
            if not self.config.wants(name) or not pages:
                continue
            # Rendering is what these measure (issue #20): the page cache is off for them
            # (each request says Cache-Control: no-cache, which it neither serves nor stores).
            result = self.drive(
                name, "read", self.config.read_users, self.config.duration,
                urls=pages, page_cache=False,
            )  # fmt: skip
            result.update(query_key=query_key, note=f"{len(pages)} different pages, page cache off")
            self.scenarios[name] = result

    def _account_slice(self, count: int) -> list[str]:
        start = self._accounts_used
        self._accounts_used += count
        return self.targets["accounts"][start : start + count]

    def write_scenarios(self) -> None:
        t = self.targets
        c = self.config
        self._accounts_used = 0
        common = {
            "password": t.get("password", ""),
            "accounts_per_user": 1,
            "sessions": t.get("sessions") or {},
        }
        if not t.get("password") or not t.get("accounts"):
            for name in ("support", "flood", "overload"):
                self.scenarios[name] = {"kind": name, "skipped": "no accounts/password to sign in"}
            return
        if c.wants("support") and t.get("support_proposal"):
            result = self.drive(
                "support", "support", c.support_users, c.duration,
                accounts=self._account_slice(c.support_users), proposal=t["support_proposal"],
                **common,
            )  # fmt: skip
            result["integrity"] = self.check_integrity("support", None)
            result["query_key"] = "support_add"
            self.scenarios["support"] = result
        flood_rate = None
        per = c.accounts_per_flood_user
        flood_common = {
            **common, "accounts_per_user": per, "proposals": t.get("comment_proposals") or [],
            "comment_prefix": "bench-comment", "run_id": "",
            "comments_per_account": c.comments_per_account,
        }  # fmt: skip
        if not flood_common["proposals"]:
            self.problems.append("no published proposal to comment on")
            return
        if c.wants("flood"):
            run_id = f"{self.run_id}-flood"
            accepted = self.work / f"accepted-{run_id}.json"
            result = self.drive(
                "flood", "flood", c.flood_users, c.flood_duration,
                accounts=self._account_slice(c.flood_users * per),
                **{**flood_common, "run_id": run_id}, accepted_file=str(accepted),
            )  # fmt: skip
            result["integrity"] = self.check_integrity("flood", accepted)
            result["query_key"] = "comment_post"
            self.scenarios["flood"] = result
            flood_rate = result.get("rps") or None
        if c.wants("overload"):
            # Twice the rate the first flood sustained (all its answers, accepted or
            # refused), from twice as many users, at a fixed arrival rate.
            rate = 2 * (flood_rate or report.FLOOD_ACCEPTED_PER_S)
            users = 2 * c.flood_users
            flood_common["accounts_per_user"] = c.accounts_per_overload_user
            run_id = f"{self.run_id}-overload"
            accepted = self.work / f"accepted-{run_id}.json"
            result = self.drive(
                "overload", "overload", users, c.flood_duration,
                accounts=self._account_slice(users * c.accounts_per_overload_user),
                **{**flood_common, "run_id": run_id},
                accepted_file=str(accepted), rate_per_user=rate / users,
            )  # fmt: skip
            result["integrity"] = self.check_integrity("overload", accepted)
            result["query_key"] = "comment_post"
            result["note"] = f"asked for {rate:.0f} req/s"
            flood_accepted = self.scenarios.get("flood", {}).get("accepted_per_s")
            result.update(report.goodput(result, flood_accepted))
            self.scenarios["overload"] = result

    def check_integrity(self, name: str, accepted: Path | None) -> dict:
        if accepted is None:
            accepted = self.work / f"accepted-{name}-none.json"
            accepted.write_text(json.dumps({"run_id": f"{self.run_id}-none", "accepted": []}))
        if not accepted.exists():
            self.integrity_failures.append(f"{name}: the load driver recorded nothing")
            return {"ok": False}
        found = self.django_side("integrity", str(self.work / "targets.json"), str(accepted))
        failures = []
        if found["lost_count"]:
            failures.append(f"{name}: {found['lost_count']} accepted comments missing")
        if found["doubled_count"]:
            failures.append(f"{name}: {found['doubled_count']} comments stored twice")
        if found["support_mismatches"]:
            failures.append(
                f"{name}: support_count differs from Support rows {found['support_mismatches']}"
            )
        if found["counter_mismatch_count"]:
            failures.append(
                f"{name}: {found['counter_mismatch_count']} proposals whose counters differ "
                f"from their rows, e.g. {found['counter_mismatches'][:3]}"
            )
        self.integrity_failures += failures
        found["ok"] = not failures
        log(
            f"  integrity: {found['accepted_seen']} accepted, {found['stored']} stored, "
            f"{found['lost_count']} lost, {found['doubled_count']} doubled, "
            f"supports {found['supports']}"
        )
        return found

    def csv_scenario(self, portal: Portal) -> None:
        url = self.targets["urls"].get("csv")
        if not self.config.wants("csv"):
            return
        if not url:
            self.scenarios["csv_export"] = {"kind": "csv", "skipped": "no consultation"}
            return
        log("csv_export: one download, then two at once")
        results: list[dict] = []

        def download() -> None:
            started = time.perf_counter()
            size = 0
            try:
                with urllib.request.urlopen(  # noqa: S310 (fixed local URL)
                    self.config.base_url + url, timeout=600
                ) as response:
                    while chunk := response.read(65536):
                        size += len(chunk)
                results.append({"seconds": time.perf_counter() - started, "bytes": size})
            except Exception as error:  # noqa: BLE001
                results.append({"error": repr(error)})

        with MemorySampler(portal) as sampler:
            download()
            threads = [threading.Thread(target=download) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        ok = [r for r in results if "error" not in r]
        result = {
            "kind": "csv", "users": "1, then 2",
            "seconds": ok[0]["seconds"] if ok else None,
            "mb": ok[0]["bytes"] / 2**20 if ok else None,
            "errors": len(results) - len(ok),
            "peak_worker_mb": sampler.peak_mb, "baseline_worker_mb": sampler.baseline_mb,
            "growth_mb": sampler.growth_mb,
            "high_water_marks_mb": MemorySampler.high_water_marks(portal),
            "downloads": results, "note": url, "query_key": "csv",
        }  # fmt: skip
        log(
            f"  {result['seconds'] or 0:.1f} s, worker peak {sampler.peak_mb:.0f} MB "
            f"(+{result['growth_mb']:.0f} over its start)"
        )
        self.scenarios["csv_export"] = result

    def pdf_scenarios(self) -> None:
        if not any(self.config.wants(f"pdf_{n}") for n in (10, 50, 150)):
            return
        exists = self.manage("help", "export_plan", check=False, capture=True).returncode == 0
        measured_plans: set[int] = set()
        for wanted in (10, 50, 150):
            name = f"pdf_{wanted}"
            if not self.config.wants(name):
                continue
            plan = self.targets.get("pdf_plans", {}).get(str(wanted))
            if not exists:
                self.scenarios[name] = {"kind": "pdf", "skipped": "manage.py export_plan missing"}
                continue
            if not plan:
                self.scenarios[name] = {"kind": "pdf", "skipped": "no plan"}
                continue
            if plan["commitments"] < wanted and plan["pk"] in measured_plans:
                self.scenarios[name] = {
                    "kind": "pdf",
                    "skipped": f"no plan with {wanted} commitments in this seed "
                    f"(largest: {plan['commitments']}, measured above)",
                }
                continue
            measured_plans.add(plan["pk"])
            output = self.work / f"plan-{plan['pk']}.pdf"
            output.unlink(missing_ok=True)
            self.django_side("forget-exports", "plan", str(plan["pk"]))
            log(f"{name}: plan {plan['pk']} ({plan['commitments']} commitments)")
            result = self.measured(
                [PYTHON, "manage.py", "export_plan", str(plan["pk"]), "--output", str(output)]
            )
            pages = None
            if output.exists():
                result["pdf_ok"] = output.read_bytes()[:4] == b"%PDF"
                pages = pdf_pages(output)
            result.update(
                kind="pdf",
                target_commitments=wanted,
                commitments=plan["commitments"],
                pages=pages,
                note=f"plan {plan['pk']}: {plan['commitments']} commitments, {pages} pages",
            )
            if result.get("returncode") == 0 and not result.get("pdf_ok"):
                result["returncode"] = 1
                result["note"] += ", no PDF written"
            log(f"  {result.get('seconds')} s, peak {result.get('peak_rss_mb')} MB")
            self.scenarios[name] = result

    def irm_package_scenario(self) -> None:
        """Issue #17: the IRM evidence package of the 150-commitment plan, built from
        scratch (its stored copy forgotten first), in a subprocess like the PDF."""
        name = "irm_package_150"
        if not self.config.wants(name):
            return
        plan = self.targets.get("pdf_plans", {}).get("150")
        if not plan:
            self.scenarios[name] = {"kind": "irm_package", "skipped": "no plan"}
            return
        output = self.work / f"irm-package-{plan['pk']}.zip"
        output.unlink(missing_ok=True)
        self.django_side("forget-exports", "irm_package", str(plan["pk"]))
        log(f"{name}: plan {plan['pk']} ({plan['commitments']} commitments)")
        result = self.measured(
            [PYTHON, "manage.py", "export_irm_package", str(plan["pk"]), "--output", str(output)]
        )
        result["zip_ok"] = output.exists() and zipfile.is_zipfile(output)
        result.update(
            kind="irm_package",
            commitments=plan["commitments"],
            note=f"plan {plan['pk']}: {plan['commitments']} commitments",
        )
        if result.get("returncode") == 0 and not result["zip_ok"]:
            result["returncode"] = 1
            result["note"] += ", no ZIP written"
        log(f"  {result.get('seconds')} s, peak {result.get('peak_rss_mb')} MB")
        self.scenarios[name] = result

    def reminder_scenario(self) -> None:
        if not self.config.wants("reminders"):
            return
        log("reminders: one scan() in a subprocess (rolled back)")
        output = self.work / "reminders.json"
        output.unlink(missing_ok=True)
        result = self.measured([PYTHON, str(PERF_DIR / "django_side.py"), "reminders", str(output)])
        result["kind"] = "reminders"
        if output.exists():
            inner = json.loads(output.read_text())
            result.update(inner)
            if "seconds" in inner:
                result["scan_seconds"] = inner["seconds"]
                result["seconds"] = result.get("seconds")
        if "error" in result:
            result["skipped"] = result["error"]
        pending = (self.targets.get("seed_summary") or {}).get("pending_deadlines") or {}
        total = sum(pending.values()) if isinstance(pending, dict) else pending
        result["pending_deadlines"] = total
        result["note"] = f"{total or '?'} pending deadlines; scan() sent {result.get('result')}"
        self.scenarios["reminders"] = result

    # --- the run --------------------------------------------------------------------
    def run(self) -> int:
        c = self.config
        log(f"scale {c.scale}, seed {c.seed}, database {c.database_url}, redis {c.redis_url}")
        self.prepare_database()
        log("collectstatic")
        self.manage("collectstatic", "--noinput", capture=True)
        portal = Portal(c)
        try:
            log(f"starting gunicorn and a Celery worker on {c.base_url}")
            portal.start()
            found = self.django_side("discover", "--accounts", str(self.accounts_needed()))
            self.problems += found.get("problems", [])
            if not found.get("seed_summary"):
                found["seed_summary"] = self.seed_summary()
            self.targets = self.build_targets(found)
            (self.work / "targets.json").write_text(json.dumps(self.targets, indent=2))
            self.queries = self.django_side("queries", str(self.work / "targets.json"))
            if c.sign_in == "session":
                self.targets["sessions"] = self.django_side(
                    "sessions", str(self.work / "targets.json")
                )
            self.portal = portal
            self.setup_read_client()
            # First of all, the ceiling the other scenarios are measured against.
            self.ceiling_scenarios()
            # While the workers are fresh: their memory is what the export adds.
            self.csv_scenario(portal)
            self.read_scenarios()
            self.write_scenarios()
        finally:
            log("stopping the portal")
            portal.stop()
        if multi.instances() > 1:
            # Issue #20 item 6: a few scenarios on one instance, then on two behind HAProxy.
            self.instances = multi.run(self, log)
        self.pdf_scenarios()
        self.irm_package_scenario()
        self.reminder_scenario()
        return self.finish(portal)

    def finish(self, portal: Portal) -> int:
        verdicts = {name: report.evaluate(name, r)[1] for name, r in self.scenarios.items()}
        failed = [name for name, v in verdicts.items() if v == "FAIL"]
        verdict = "PASS" if not failed and not self.integrity_failures else "FAIL"
        payload = {
            "run_id": self.run_id,
            "config": {
                "scale": self.config.scale,
                "seed": self.config.seed,
                "database": self.config.database_name,
                "duration": self.config.duration,
                "flood_duration": self.config.flood_duration,
                "read_users": self.config.read_users,
                "flood_users": self.config.flood_users,
            },  # fmt: skip
            "machine": machine(),
            "gunicorn": " ".join(
                Path(a).name if a.startswith("/") else a for a in portal.gunicorn_command
            ),
            "load_tools": (
                f"reads and ceiling: wrk -c <users> -t {wrk_drive.THREADS} (wrk_read.lua); "
                "writes: locust"
                if self.wrk
                else f"locust for everything ({self.read_client_note})"
            ),
            "verdict": verdict,
            "failed": failed,
            "integrity_failures": self.integrity_failures,
            "problems": self.problems,
            "counts": self.targets.get("counts", {}),
            "queries": self.queries,
            "scenarios": self.scenarios,
            "instances": self.instances,
        }
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        md, _js = report.write(RESULTS_DIR, self.run_id, payload)
        sys.stdout.write(md.read_text())
        if self.integrity_failures:
            return 1
        strict = os.environ.get("BENCH_STRICT", "1") != "0"
        return 1 if failed and strict else 0


def pdf_pages(path: Path) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    try:
        return len(PdfReader(str(path)).pages)
    except Exception:  # noqa: BLE001 (a broken file: reported by pdf_ok/returncode)
        return None


def machine() -> str:
    def out(*command: str) -> str:
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError:
            return "?"
        return done.stdout.strip()

    mem = out("free", "-g").splitlines()
    total = mem[1].split()[1] if len(mem) > 1 else "?"
    redis = "?"
    if out("which", "redis-server"):
        redis = out("redis-server", "--version").split(" v=")[-1].split()[0]
    return (
        f"{os.cpu_count()} cores (nproc {out('nproc')}), {total} GiB RAM, "
        f"{out('psql', '--version')}, Redis {redis}, Python {platform.python_version()}"
    )


def main() -> int:
    # `kill` (SIGTERM) unwinds like Ctrl-C, so the finally blocks stop what was started.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        return Bench(BenchConfig()).run()
    except Exception:  # noqa: BLE001 (report any harness failure, exit 2)
        import traceback

        traceback.print_exc()
        log("the bench itself failed (see above); the portal was stopped")
        return 2


if __name__ == "__main__":
    sys.exit(main())
