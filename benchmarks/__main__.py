"""``python -m benchmarks``: every benchmark, one after another."""

from benchmarks import (
    bench_backup,
    bench_classification,
    bench_package,
    bench_reports,
    bench_startup,
    bench_unit_import,
    bench_units,
    bench_workbook,
)

for module in (bench_startup, bench_units, bench_reports, bench_classification, bench_backup,
               bench_package, bench_workbook, bench_unit_import):
    print(f"== {module.__name__}")
    module.run()
