"""The benchmark script's own code, at tiny sizes (the real run is in docs/benchmarks.md)."""

import importlib.util
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
BENCHMARK = BENCHMARKS / "benchmark_monitoring.py"


def load_benchmark():
	# Run as a script, a benchmark finds its sibling `bench_site` on sys.path[0]; loaded here, it needs a hand.
	if str(BENCHMARKS) not in sys.path:
		sys.path.insert(0, str(BENCHMARKS))
	spec = importlib.util.spec_from_file_location("benchmark_monitoring", BENCHMARK)
	module = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(module)
	return module


def test_the_benchmark_runs_at_tiny_sizes_and_its_statement_count_stays_flat():
	benchmark = load_benchmark()
	small, large = benchmark.run_benchmark(((8, 400), (30, 1500)), wipe=False, commit=False, inserts=2)

	assert small["contact_logs"] > 0 and large["contact_logs"] > small["contact_logs"]
	assert large["first_run"]["reminders"] > 0
	assert large["first_run"]["statements"] == small["first_run"]["statements"]
	assert large["second_run"]["statements"] == small["second_run"]["statements"]
	assert large["compliance"]["statements"] == small["compliance"]["statements"]
	assert large["contact_log_insert_ms"] > 0
