"""/metrics text read by a real Prometheus parser (python3-prometheus-client).

The sample comes from unit_http's hidden "[sample]" test, which renders meetgate's
metric set after a few recorded events and writes it to MEETGATE_METRICS_SAMPLE.
MEETGATE_UNIT_HTTP names that program (default: unit_http beside MEETGATE_BIN).
"""

import os
import subprocess

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import MEETGATE_BIN

UNIT_HTTP = os.environ.get(
    "MEETGATE_UNIT_HTTP", os.path.join(os.path.dirname(MEETGATE_BIN), "unit_http"))


@pytest.fixture
def families(tmp_path):
    if not os.path.exists(UNIT_HTTP):
        pytest.skip(f"{UNIT_HTTP} not built")
    sample = tmp_path / "metrics.prom"
    subprocess.run([UNIT_HTTP, "[sample]"], check=True, capture_output=True, timeout=60,
                   env={**os.environ, "MEETGATE_METRICS_SAMPLE": str(sample)})
    text = sample.read_text()
    return text, {family.name: family for family in text_string_to_metric_families(text)}


def value(family, sample_name, **labels):
    matches = [s.value for s in family.samples if s.name == sample_name and s.labels == labels]
    assert len(matches) == 1, (sample_name, labels)
    return matches[0]


def test_every_family_parses_with_its_type(families):
    _, parsed = families

    assert {name: family.type for name, family in parsed.items()} == {
        "meetgate_reconciles": "counter",
        "meetgate_reconcile_duration_seconds": "histogram",
        "meetgate_desired_accounts": "gauge",
        "meetgate_managed_accounts": "gauge",
        "meetgate_prosodyctl_calls": "counter",
        "meetgate_source_errors": "counter",
        "meetgate_delete_guard_trips": "counter",
        "meetgate_watch_events": "counter",
        "meetgate_last_success_timestamp_seconds": "gauge",
        "meetgate_build_info": "gauge",
    }


def test_recorded_values_read_back(families):
    _, parsed = families

    assert value(parsed["meetgate_reconciles"], "meetgate_reconciles_total", result="ok") == 1
    assert value(parsed["meetgate_reconciles"], "meetgate_reconciles_total",
                 result="invalid_source") == 0
    duration = parsed["meetgate_reconcile_duration_seconds"]
    assert value(duration, "meetgate_reconcile_duration_seconds_bucket",
                 result="failed", le="2.5") == 1
    assert value(duration, "meetgate_reconcile_duration_seconds_sum", result="failed") == 1.5
    assert value(parsed["meetgate_desired_accounts"], "meetgate_desired_accounts") == 3
    assert value(parsed["meetgate_prosodyctl_calls"], "meetgate_prosodyctl_calls_total",
                 operation="update", result="ok") == 1
    assert value(parsed["meetgate_last_success_timestamp_seconds"],
                 "meetgate_last_success_timestamp_seconds") == 1764772800
    build = parsed["meetgate_build_info"].samples
    assert len(build) == 1 and build[0].value == 1 and set(build[0].labels) == {"version"}


def test_no_label_can_hold_a_username(families):
    _, parsed = families

    label_names = {name for family in parsed.values() for s in family.samples for name in s.labels}
    assert label_names <= {"result", "operation", "le", "version"}


def test_every_line_is_a_comment_or_a_sample(families):
    text, parsed = families

    samples = sum(len(family.samples) for family in parsed.values())
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert len(lines) == samples
    assert text.endswith("\n")
