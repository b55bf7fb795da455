"""The "two instances" section of `make bench` (issue #20 item 6): a few scenarios run on
one portal instance and then on two, as on two hosts, behind HAProxy.

BENCH_INSTANCES=2 turns it on (`make bench` sets it; run_bench.py alone defaults to 1, no
section). After the main run, for each mode in turn the runner starts the portal, runs the
scenarios named in BENCH_INSTANCES_ONLY (default read_home, read_proposals_spread, flood;
each also filtered by BENCH_ONLY / BENCH_SKIP) and stops it again:

- one instance: gunicorn on BENCH_PORT and one Celery worker, as in the main run;
- two instances: gunicorn on BENCH_PORT+1 and BENCH_PORT+2 (each its own process group, the
  same gunicorn.conf.py, settings, database and Redis), two Celery workers, and HAProxy on
  BENCH_PORT, round-robin, checking /health/ (tests/perf/haproxy.cfg). HAProxy appends to
  X-Forwarded-For behind the load tool, which plays the TLS proxy, so the portal counts two
  trusted proxies (TRUSTED_PROXY_COUNT=2; the main run has one).

Both modes are measured the same way in the same run, one after the other, with a flushed
Redis at each start. Besides the load tool's figures, the CPU time of every portal process
(gunicorn masters and workers, Celery, HAProxy; not PostgreSQL) is read before and after
each scenario: CPU milliseconds per request, the figure that holds on a shared machine.
"""

import os
import subprocess

import haproxy
import psutil
import waiting
from config import PROJECT_DIR, BenchConfig
from servers import BIN, Portal, port_is_free

DEFAULT_SCENARIOS = "read_home,read_proposals_spread,flood"
READ_SCENARIOS = {"read_home": "home", "read_proposals_spread": "proposals_spread"}


def instances() -> int:
    value = os.environ.get("BENCH_INSTANCES", "").strip()
    return int(value) if value else 1


def scenarios(config: BenchConfig) -> list[str]:
    wanted = os.environ.get("BENCH_INSTANCES_ONLY", DEFAULT_SCENARIOS)
    return [s for s in wanted.split(",") if s and config.wants(s)]


def durations(config: BenchConfig) -> tuple[int, int]:
    """Seconds per read scenario and per flood in this section: shorter than the main run
    (both modes must fit in about 3 minutes), overridable."""
    read = int(os.environ.get("BENCH_INSTANCES_DURATION") or min(config.duration, 15))
    flood = int(os.environ.get("BENCH_INSTANCES_FLOOD_DURATION") or min(config.flood_duration, 30))
    return read, flood


def _flood_accounts_per_user(config: BenchConfig) -> int:
    _read, flood = durations(config)
    needed = config.target_comments_per_s * flood
    return max(1, -(-needed // (config.flood_users * config.comments_per_account)))


def extra_accounts(config: BenchConfig) -> int:
    """Accounts the section's floods need on top of the main run: fresh ones, since the
    main flood's accounts have used their comments for the next 5 minutes."""
    if instances() < 2 or "flood" not in scenarios(config):
        return 0
    return 2 * config.flood_users * _flood_accounts_per_user(config)


class Instances(Portal):
    """`count` gunicorn instances and as many Celery workers behind HAProxy."""

    def __init__(self, config: BenchConfig, count: int, proxy_binary: str) -> None:
        super().__init__(config)
        self.count = count
        self.names = [chr(ord("a") + i) for i in range(count)]
        self.ports = {name: config.port + 1 + i for i, name in enumerate(self.names)}
        self.balancer = haproxy.HAProxy(
            proxy_binary, config.port, self.ports, config.var_dir / "run"
        )
        self.env = {**config.django_env(), "TRUSTED_PROXY_COUNT": "2"}

    def _spawn(self, name: str, command: list[str]) -> None:
        log = self.config.var_dir / f"{name}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        self.logs[name] = log
        with log.open("wb") as out:
            self.processes[name] = subprocess.Popen(  # noqa: S603 -- our own arguments
                command, cwd=PROJECT_DIR, env=self.env, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def start(self) -> None:
        for port in (self.config.port, *self.ports.values()):
            if not port_is_free(port):
                raise RuntimeError(
                    f"port {port} is already in use; the two-instance mode needs BENCH_PORT "
                    f"and the {self.count} ports after it"
                )
        self._flush_broker()
        for name, port in self.ports.items():
            command = [str(BIN / "gunicorn"), "ogp_portal.wsgi", "--config", "gunicorn.conf.py",
                       "--bind", f"127.0.0.1:{port}"]  # fmt: skip
            self.gunicorn_command = command
            self._spawn(f"gunicorn-{name}", command)
            self._spawn(
                f"celery-{name}",
                [str(BIN / "celery"), "-A", "ogp_portal", "worker", "--loglevel=WARNING",
                 "--concurrency=2", "--hostname",
                 f"bench-{self.config.database_name}-{name}@%h"],
            )  # fmt: skip
        # Each instance answers on its own before the balancer sends it anything.
        for port in self.ports.values():
            self._wait_answers(f"http://127.0.0.1:{port}/health/")
        self.balancer.start()
        self.wait_healthy()

    def _wait_answers(self, url: str, timeout: float = 90) -> None:
        waiting.until_answers(
            url, self.processes, lambda name: f"{name} exited early; see {self.logs[name]}",
            timeout,
        )  # fmt: skip

    def web_workers(self) -> list:
        workers = []
        for name in self.names:
            master = self.processes.get(f"gunicorn-{name}")
            if master is None:
                continue
            try:
                workers += psutil.Process(master.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                continue
        return workers

    def stop(self) -> None:
        self.balancer.stop()
        super().stop()


def cpu_seconds(portal: Portal) -> tuple[float, float]:
    """User + system CPU time of every process the portal runs (each process group), and
    of HAProxy alone (part of the first figure)."""
    balancer = getattr(portal, "balancer", None)
    alone = _tree_cpu([balancer.process.pid]) if balancer and balancer.process else 0.0
    return _tree_cpu([p.pid for p in portal.processes.values()]) + alone, alone


def _tree_cpu(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            root = psutil.Process(pid)
            for process in [root, *root.children(recursive=True)]:
                times = process.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


def run(bench, log) -> dict:
    """Both modes, one after the other; the section of the report (report.section)."""
    config = bench.config
    names = scenarios(config)
    section: dict = {"instances": instances(), "scenarios": names, "modes": {}, "notes": []}
    if not names:
        section["notes"].append("no scenario selected (BENCH_INSTANCES_ONLY and BENCH_ONLY)")
        return section
    binary, why = haproxy.install()
    if binary is None:
        section["notes"].append(f"two-instance mode not run: {why}")
        log(f"instances: {why}")
        return section
    section["haproxy"] = haproxy.version(binary)
    read_seconds, flood_seconds = durations(config)
    section["durations"] = {"read": read_seconds, "flood": flood_seconds}
    for count in (1, instances()):
        portal = Portal(config) if count == 1 else Instances(config, count, binary)
        mode: dict = {}
        section["modes"][str(count)] = mode
        try:
            log(f"instances: starting {count} instance(s) on {config.base_url}")
            portal.start()
            for name in names:
                before, proxy_before = cpu_seconds(portal)
                result = _scenario(bench, name, count, read_seconds, flood_seconds)
                after, proxy_after = cpu_seconds(portal)
                if result is None:
                    continue
                spent = after - before
                requests = result.get("requests") or 0
                result["cpu_seconds"] = round(spent, 2)
                result["haproxy_cpu_ms_per_request"] = (
                    round(1000 * (proxy_after - proxy_before) / requests, 2)
                    if requests and count > 1
                    else None
                )
                result["cpu_ms_per_request"] = (
                    round(1000 * spent / requests, 2) if requests else None
                )
                log(f"  {name} on {count}: {result['cpu_ms_per_request']} ms CPU per request")
                mode[name] = result
        finally:
            portal.stop()
    return section


def _scenario(bench, name: str, count: int, read_seconds: int, flood_seconds: int):
    config, targets = bench.config, bench.targets
    label = f"{name}@{count}"
    if name in READ_SCENARIOS:
        key = READ_SCENARIOS[name]
        urls = targets.get("spread", {}).get(key) or (
            [targets["urls"][key]] if key in targets.get("urls", {}) else []
        )
        if not urls:
            return None
        return bench.drive(label, "read", config.read_users, read_seconds, urls=urls)
    if name == "flood":
        if not targets.get("password") or not targets.get("comment_proposals"):
            return None
        per = _flood_accounts_per_user(config)
        run_id = f"{bench.run_id}-flood-{count}"
        accepted = bench.work / f"accepted-{run_id}.json"
        result = bench.drive(
            label, "flood", config.flood_users, flood_seconds,
            password=targets["password"], sessions=targets.get("sessions") or {},
            accounts=bench._account_slice(config.flood_users * per), accounts_per_user=per,
            proposals=targets["comment_proposals"], comment_prefix="bench-comment",
            run_id=run_id, comments_per_account=config.comments_per_account,
            accepted_file=str(accepted),
        )  # fmt: skip
        result["integrity"] = bench.check_integrity(label, accepted)
        return result
    return None


def _ratio(two, one) -> str:
    if not one or two is None:
        return "–"
    return f"{two / one:.2f}×"


def section(data: dict) -> list[str]:
    """The report's "Two instances" section."""
    count = data.get("instances", 2)
    lines = [f"## Two instances ({count} gunicorn instances behind HAProxy)", ""]
    modes = data.get("modes", {})
    one, many = modes.get("1", {}), modes.get(str(count), {})
    if one or many:
        read_s = data.get("durations", {}).get("read")
        flood_s = data.get("durations", {}).get("flood")
        lines += [
            f"Each scenario on one instance, then on {count} ({data.get('haproxy', 'HAProxy')} "
            f"in front, round-robin), in this run, one after the other: {read_s} s per read, "
            f"{flood_s} s per flood. CPU = user + system time of every portal process "
            "(gunicorn, Celery, HAProxy; not PostgreSQL) per request; HAProxy's own share in "
            "brackets.",
            "",
            "| scenario | instances | req/s | accepted/s | median / p95 ms | errors / refused "
            "| CPU ms/req (HAProxy) | req/s vs 1 |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name in data.get("scenarios", []):
            base = one.get(name, {}).get("rps")
            for n, results in (("1", one), (str(count), many)):
                r = results.get(name)
                if r is None:
                    continue
                outcomes = r.get("outcomes", {})
                refused = outcomes.get("refused_429", 0) + outcomes.get("shed_503", 0)
                accepted = r.get("accepted_per_s")
                cells = [
                    name, n, str(r.get("rps", "–")),
                    "–" if accepted is None else str(accepted),
                    f"{r.get('median_ms', '–')} / {r.get('p95_ms', '–')}",
                    f"{outcomes.get('error', 0)} / {refused}",
                    str(r.get("cpu_ms_per_request", "–"))
                    + ("" if n == "1" else f" ({r.get('haproxy_cpu_ms_per_request', '–')})"),
                    "" if n == "1" else _ratio(r.get("rps"), base),
                ]  # fmt: skip
                lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines += [f"- {note}" for note in data.get("notes", [])]
    if data.get("notes"):
        lines.append("")
    return lines
