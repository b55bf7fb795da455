"""The report puts every request scenario against the ceiling, in the table and the JSON."""

import json

from tests.perf import report


def scenario(kind: str, rps: float, **extra) -> dict:
    return {
        "kind": kind,
        "users": 20,
        "requests": int(rps * 10),
        "rps": rps,
        "median_ms": 10,
        "p95_ms": 40,
        "outcomes": {"accepted": int(rps * 10)},
        **extra,
    }


def payload(scenarios: dict) -> dict:
    return {
        "config": {
            "scale": 1.0,
            "seed": 2026,
            "database": "ogp_bench",
            "duration": 10,
            "flood_duration": 15,
        },
        "machine": "2 cores",
        "gunicorn": "gunicorn ogp_portal.wsgi",
        "verdict": "PASS",
        "load_tools": "reads: wrk; writes: locust",
        "scenarios": scenarios,
    }


def test_each_request_scenario_is_a_share_of_the_minimal_view(tmp_path):
    data = payload(
        {
            "seed_scale": {"kind": "seed", "skipped": "BENCH_NO_SEED=1"},
            "ceiling_view": scenario(
                "ceiling",
                800.0,
                note="/bench/ceiling/",
                load_cpu_percent=12.0,
                server_cpu_ms_per_request=2.2,
                postgres_cpu_ms_per_request=0.15,
            ),
            "ceiling_static": scenario("ceiling", 2000.0, note="/static/css/portal.1.css"),
            "read_home": scenario(
                "read",
                400.0,
                load_cpu_percent=55.0,
                server_cpu_ms_per_request=4.0,
                postgres_cpu_ms_per_request=None,
            ),
            "flood": scenario("flood", 80.0, accepted_per_s=70.0),
            "csv_export": {"kind": "csv", "seconds": 20.0, "mb": 50.0, "errors": 0},
        }
    )
    md, js = report.write(tmp_path, "run", data)
    saved = json.loads(js.read_text())["scenarios"]
    assert saved["read_home"]["x_of_ceiling"] == 0.5
    assert saved["flood"]["x_of_ceiling"] == 0.1
    assert "x_of_ceiling" not in saved["csv_export"]  # not a request rate
    assert "x_of_ceiling" not in saved["ceiling_view"]  # the reference itself
    assert json.loads(js.read_text())["ceiling"]["view"]["rps"] == 800.0

    text = md.read_text()
    top = text.split("| scenario |")[0]
    assert "**Ceiling**" in top
    assert "800.0 req/s" in top
    assert "2000.0 req/s" in top
    assert "2.20 ms CPU/request" in top
    header = next(line for line in text.splitlines() if line.startswith("| scenario |"))
    columns = [cell.strip() for cell in header.strip("|").split("|")]
    home = next(line for line in text.splitlines() if line.startswith("| read_home |"))
    cells = dict(zip(columns, (c.strip() for c in home.strip("|").split("|")), strict=True))
    assert cells["× ceiling"] == "0.50×"
    assert cells["load tool CPU"] == "55 %"
    assert cells["server CPU ms/req"] == "4.00"
    assert cells["PG CPU ms/req"] == "–"


def test_without_a_ceiling_the_report_says_so_and_has_no_ratios(tmp_path):
    data = payload({"read_home": scenario("read", 400.0)})
    md, js = report.write(tmp_path, "run", data)
    assert "Ceiling: not measured" in md.read_text()
    assert "x_of_ceiling" not in json.loads(js.read_text())["scenarios"]["read_home"]


def test_a_ceiling_with_errors_fails():
    broken = scenario("ceiling", 800.0, outcomes={"accepted": 7990, "error": 10})
    assert report.evaluate("ceiling_view", broken)[1] == "FAIL"
    assert report.evaluate("ceiling_view", scenario("ceiling", 800.0))[1] == "PASS"


def test_the_irm_package_row_shows_its_time_and_memory(tmp_path):
    package = {
        "kind": "irm_package",
        "returncode": 0,
        "seconds": 4.008,
        "peak_rss_mb": 162.8,
        "zip_ok": True,
        "commitments": 150,
        "note": "plan 4: 150 commitments",
    }
    md, _js = report.write(tmp_path, "run", payload({"irm_package_150": package}))
    row = next(line for line in md.read_text().splitlines() if line.startswith("| irm_package"))
    assert "| 4.01 s | peak 163 MB | 0 |" in row
    assert "| PASS |" in row
