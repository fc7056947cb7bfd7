"""What the platform admin is told about the live reference files (issue 29, item 5): the file
as deployed (its hash changes with a byte), its entries and the dates of their evidence, and
the catalogue's measures past the review age counted as the review queue counts them."""

from datetime import timedelta

from assessment import benchmarks, collective_dismissal, reference_data, review
from assessment.catalogue import load_catalogue


def test_the_live_benchmark_file_is_named_with_its_hash_and_its_evidence_dates(tmp_path):
    rows = benchmarks.load_benchmarks()
    state = reference_data.benchmarks_state(rows)
    assert state.file == "data/benchmarks.csv" and state.entries == len(rows)
    assert state.oldest_checked == min(b.evidence.checked for b in rows)
    assert state.newest_checked == max(b.evidence.checked for b in rows)
    changed = tmp_path / "benchmarks.csv"
    changed.write_bytes(benchmarks.BENCHMARK_FILE.read_bytes() + b"\n")
    assert reference_data.benchmarks_state(rows, changed).sha256 != state.sha256


def test_the_catalogue_counts_the_measures_past_the_review_age():
    measures = load_catalogue()
    newest = max(m.last_checked for m in measures)
    assert reference_data.catalogue_state(measures, newest).past_review_age == sum(
        newest - m.last_checked > review.REVIEW_AFTER for m in measures)
    later = newest + review.REVIEW_AFTER + timedelta(days=1)
    state = reference_data.catalogue_state(measures, later)
    assert state.past_review_age == len(measures) == state.entries
    assert state.past_review_age == len({d.subject for d in review.due(
        measures, collective_dismissal.load_rules(), later)
        if d.reason == review.OLD_CHECK and d.measure is not None})
