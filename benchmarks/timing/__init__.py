"""The timings of ``benchmarks/run.py``, one module per idea (its docstring lists them)."""
