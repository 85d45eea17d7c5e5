"""``python -m benchmarks``: every benchmark, one after another."""

from benchmarks import (
    bench_backup,
    bench_classification,
    bench_reports,
    bench_startup,
    bench_units,
)

for module in (bench_startup, bench_units, bench_reports, bench_classification, bench_backup):
    print(f"== {module.__name__}")
    module.run()
