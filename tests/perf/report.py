"""The targets (issues #6 and #7), pass/fail against them, and the result files."""

import json
import shutil
from pathlib import Path

READ_P95_MS = 150
FLOOD_ACCEPTED_PER_S = 200
# At twice the flood's rate the portal still accepts this share of what the flood did
# (issue #20): shedding refuses the excess instead of collapsing.
GOODPUT_MIN = 0.9
PDF_150_SECONDS = 20
PDF_150_MB = 600
CSV_MB = 200
REMINDER_SECONDS = 10
IRM_PACKAGE_SECONDS = 60
SEED_SECONDS = 15 * 60

# What each read scenario measures, for the report.
READ_TARGET = f"p95 < {READ_P95_MS} ms, no errors"
# Scenarios driven by HTTP requests: each is reported as a share of the ceiling's req/s.
REQUEST_KINDS = ("read", "flood", "overload", "support")
CEILING = "ceiling_view"


def _errors(result: dict) -> int:
    return int(result.get("outcomes", {}).get("error", 0))


def evaluate(name: str, result: dict) -> tuple[str, str]:
    """(target text, verdict) where verdict is PASS, FAIL or n/a (not measured)."""
    if result.get("skipped"):
        return "", "n/a"
    kind = result.get("kind")
    if kind == "ceiling":
        ok = _errors(result) == 0 and result.get("requests", 0) > 0
        return "reference for × ceiling; no errors", "PASS" if ok else "FAIL"
    if kind == "read":
        ok = result.get("p95_ms") is not None and result["p95_ms"] < READ_P95_MS
        ok = ok and _errors(result) == 0 and result.get("requests", 0) > 0
        return READ_TARGET, "PASS" if ok else "FAIL"
    if kind == "flood":
        integrity = result.get("integrity", {})
        ok = (
            result.get("accepted_per_s", 0) >= FLOOD_ACCEPTED_PER_S
            and _errors(result) == 0
            and integrity.get("ok", False)
        )
        return (
            f">= {FLOOD_ACCEPTED_PER_S} accepted/s sustained, errors only deliberate 429/503, "
            "nothing lost or doubled",
            "PASS" if ok else "FAIL",
        )
    if kind == "overload":
        ok = _errors(result) == 0 and result.get("integrity", {}).get("ok", False)
        # Without a flood in the same run there is nothing to compare with: not judged.
        if result.get("goodput") is not None:
            ok = ok and result["goodput"] >= GOODPUT_MIN and not result.get("account_limited")
        return (
            "only 429 / 503+Retry-After refusals (no timeouts, no 5xx), nothing lost, "
            f"goodput >= {GOODPUT_MIN} of the flood's accepted/s",
            "PASS" if ok else "FAIL",
        )
    if kind == "support":
        ok = _errors(result) == 0 and result.get("integrity", {}).get("ok", False)
        return "no errors, support_count = Support rows", "PASS" if ok else "FAIL"
    if kind == "csv":
        ok = result.get("errors", 1) == 0 and result.get("peak_worker_mb", 1e9) < CSV_MB
        return f"worker peak RSS < {CSV_MB} MB, complete file", "PASS" if ok else "FAIL"
    if kind == "pdf":
        if result.get("target_commitments") != 150:
            return "(reported, no target)", "PASS" if result.get("returncode") == 0 else "FAIL"
        ok = (
            result.get("returncode") == 0
            and result.get("seconds", 1e9) < PDF_150_SECONDS
            and result.get("peak_rss_mb", 1e9) < PDF_150_MB
            and result.get("commitments", 0) >= 150
        )
        return f"< {PDF_150_SECONDS} s and < {PDF_150_MB} MB", "PASS" if ok else "FAIL"
    if kind == "irm_package":
        ok = (
            result.get("returncode") == 0
            and result.get("zip_ok", False)
            and result.get("seconds", 1e9) < IRM_PACKAGE_SECONDS
            and result.get("commitments", 0) >= 150
        )
        return f"< {IRM_PACKAGE_SECONDS} s, a valid ZIP", "PASS" if ok else "FAIL"
    if kind == "reminders":
        ok = "error" not in result and result.get("scan_seconds", 1e9) < REMINDER_SECONDS
        return f"scan < {REMINDER_SECONDS} s", "PASS" if ok else "FAIL"
    if kind == "seed":
        if result.get("scale") != 1.0 or result.get("seconds") is None:
            return f"full seed < {SEED_SECONDS // 60} min", "n/a"
        ok = result["seconds"] < SEED_SECONDS
        return f"full seed < {SEED_SECONDS // 60} min", "PASS" if ok else "FAIL"
    return "", "n/a"


def goodput(overload: dict, flood_accepted_per_s: float | None) -> dict:
    """Accepted/s under overload as a share of what the flood sustained. Refusals by the
    per-account limit are counted apart: they mean the bench ran out of accounts, and the
    goodput would then measure that limit, not the portal."""
    limited = int(overload.get("outcomes", {}).get("refused_account_limit", 0))
    if not flood_accepted_per_s:
        return {"goodput": None, "account_limited": limited}
    share = overload.get("accepted_per_s", 0) / flood_accepted_per_s
    return {
        "goodput": round(share, 2),
        "flood_accepted_per_s": flood_accepted_per_s,
        "account_limited": limited,
    }


def _fmt(value, digits: int = 0) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _row(name: str, result: dict, queries: dict) -> list[str]:
    target, verdict = evaluate(name, result)
    outcomes = result.get("outcomes", {})
    refused = outcomes.get("refused_429", 0) + outcomes.get("shed_503", 0)
    kind = result.get("kind", "")
    if kind in ("read", "flood", "overload", "support", "ceiling"):
        rps = _fmt(result.get("rps"), 1)
        if kind in ("flood", "overload"):
            rps += f" ({_fmt(result.get('accepted_per_s'), 1)} accepted/s)"
        latency = f"{_fmt(result.get('median_ms'))} / {_fmt(result.get('p95_ms'))}"
        errors = f"{outcomes.get('error', 0)} / {refused}"
    elif kind == "csv":
        rps = f"{_fmt(result.get('seconds'), 1)} s, {_fmt(result.get('mb'), 1)} MB file"
        peak, growth = result.get("peak_worker_mb"), result.get("growth_mb")
        latency = f"peak {_fmt(peak, 0)} MB (+{_fmt(growth, 0)})"
        errors = f"{result.get('errors', 0)} / 0"
    elif kind in ("pdf", "irm_package", "reminders", "seed"):
        seconds = result.get("scan_seconds", result.get("seconds"))
        rps = f"{_fmt(seconds, 2)} s"
        latency = f"peak {_fmt(result.get('peak_rss_mb'), 0)} MB"
        errors = "0" if verdict != "FAIL" or result.get("returncode", 0) == 0 else "1"
    else:
        rps = latency = errors = "–"
    q = queries.get(result.get("query_key", name), {}).get("queries", "–")
    note = result.get("note", "")
    if kind == "read" and outcomes.get("accepted"):
        share = 100 * outcomes.get("from_page_cache", 0) / outcomes["accepted"]
        note = f"{share:.0f} % from the page cache" + (f"; {note}" if note else "")
    if kind == "overload" and result.get("goodput") is not None:
        note = f"goodput {result['goodput']:.2f}" + (f"; {note}" if note else "")
        if result.get("account_limited"):
            note += f"; {result['account_limited']} refused by the per-account limit"
    if result.get("skipped"):
        note = result["skipped"]
    users = str(result.get("users", "–"))
    return [name, users, rps, latency, errors, str(q), target, verdict, note]


def ceiling_ratio(result: dict, ceiling_rps: float | None) -> float | None:
    """A request scenario's req/s as a share of the minimal view's on the same stack."""
    if result.get("kind") not in REQUEST_KINDS or result.get("skipped"):
        return None
    if not ceiling_rps or result.get("rps") is None:
        return None
    return round(result["rps"] / ceiling_rps, 3)


def add_ceiling(payload: dict) -> dict | None:
    """Put `x_of_ceiling` in every request scenario and a `ceiling` summary in the payload
    (so the JSON holds what the table shows); the summary, or None without a ceiling."""
    scenarios = payload["scenarios"]
    view = scenarios.get(CEILING) or {}
    static = scenarios.get("ceiling_static") or {}
    ceiling_rps = view.get("rps") if not view.get("skipped") else None
    for result in scenarios.values():
        ratio = ceiling_ratio(result, ceiling_rps)
        if ratio is not None:
            result["x_of_ceiling"] = ratio
    if not ceiling_rps:
        payload["ceiling"] = None
        return None
    keep = ("rps", "median_ms", "p95_ms", "load_cpu_percent", "server_cpu_ms_per_request",
            "postgres_cpu_ms_per_request", "note")  # fmt: skip
    payload["ceiling"] = {
        "view": {key: view.get(key) for key in keep},
        "static": {key: static.get(key) for key in keep} if static else None,
    }
    return payload["ceiling"]


def _ceiling_line(ceiling: dict | None) -> str:
    if not ceiling:
        return "Ceiling: not measured in this run (`ceiling_view`), so no × ceiling column."
    view, static = ceiling["view"], ceiling.get("static") or {}

    def cpu(r: dict) -> str:
        return (
            f"server {_fmt(r.get('server_cpu_ms_per_request'), 2)} ms CPU/request, PostgreSQL "
            f"{_fmt(r.get('postgres_cpu_ms_per_request'), 2)}, load tool "
            f"{_fmt(r.get('load_cpu_percent'), 0)} % of a core"
        )

    line = (
        f"**Ceiling** (same gunicorn, middleware and database connection): minimal view "
        f"`{view.get('note')}` {_fmt(view.get('rps'), 1)} req/s, p95 {_fmt(view.get('p95_ms'))} "
        f"ms ({cpu(view)})"
    )
    if static.get("rps"):
        line += (
            f"; static file `{static.get('note')}` {_fmt(static.get('rps'), 1)} req/s, p95 "
            f"{_fmt(static.get('p95_ms'))} ms ({cpu(static)})"
        )
    return line + "."


def _cpu_cells(result: dict) -> list[str]:
    """× ceiling, the load tool's CPU, the server's and PostgreSQL's CPU per request."""
    ratio = result.get("x_of_ceiling")
    load = result.get("load_cpu_percent")
    return [
        f"{ratio:.2f}×" if ratio is not None else "–",
        f"{load:.0f} %" if load is not None else "–",
        _fmt(result.get("server_cpu_ms_per_request"), 2),
        _fmt(result.get("postgres_cpu_ms_per_request"), 2),
    ]


def write(results_dir: Path, stamp: str, payload: dict) -> tuple[Path, Path]:
    scenarios = payload["scenarios"]
    queries = payload.get("queries", {})
    ceiling = add_ceiling(payload)
    lines = [
        f"# Benchmark {stamp}",
        "",
        f"Scale {payload['config']['scale']} (seed {payload['config']['seed']}), database "
        f"`{payload['config']['database']}`, {payload['config']['duration']} s per read scenario, "
        f"{payload['config']['flood_duration']} s per flood.",
        f"Machine: {payload['machine']}.",
        f"Web: `{payload.get('gunicorn', '')}`.",
        f"Load tools: {payload.get('load_tools', 'locust')}.",
        "",
        _ceiling_line(ceiling),
        "",
        "| scenario | users | req/s | median / p95 ms | errors / refused | SQL/req | target | "
        "result | note | × ceiling | load tool CPU | server CPU ms/req | PG CPU ms/req |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, result in scenarios.items():
        lines.append("| " + " | ".join(_row(name, result, queries) + _cpu_cells(result)) + " |")
    lines += ["", f"**Overall: {payload['verdict']}**", ""]
    if payload.get("instances"):
        # The two-instance comparison (tests/perf/multi.py); imported by bare name, as the
        # runner does, so mypy (which reaches this module as tests.perf.report) cannot see it.
        from multi import section  # type: ignore[import-not-found]

        lines += section(payload["instances"])
    if payload.get("integrity_failures"):
        lines += ["## Integrity failures", ""]
        lines += [f"- {failure}" for failure in payload["integrity_failures"]]
        lines.append("")
    if payload.get("problems"):
        lines += ["## Problems found while preparing", ""]
        lines += [f"- {problem}" for problem in payload["problems"]]
        lines.append("")
    lines += [
        "errors = real failures (5xx, timeouts, connection errors, a form that did not post); "
        "refused = deliberate 429 or 503 with Retry-After. SQL/req from one request of the URL "
        "through Django's test client on the bench database.",
        "",
        "× ceiling = the scenario's req/s ÷ ceiling_view's (the same stack answering a minimal "
        "view). load tool CPU = user+sys time of the load process while the clock ran, in % of "
        "one core (near 100 % the tool, not the portal, set the pace). server / PG CPU ms/req "
        "= CPU time of the gunicorn process group / of the PostgreSQL backends serving it "
        "(psutil) over the scenario ÷ requests answered: the figure to compare across "
        "machines and runs on a busy machine.",
        "",
    ]
    md = results_dir / f"{stamp}.md"
    js = results_dir / f"{stamp}.json"
    md.write_text("\n".join(lines))
    js.write_text(json.dumps(payload, indent=2, default=str))
    shutil.copyfile(md, results_dir / "latest.md")
    shutil.copyfile(js, results_dir / "latest.json")
    return md, js
