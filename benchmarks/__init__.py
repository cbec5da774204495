"""The benchmark harness of issue 6: a synthetic catalog (``catalog``) and the timings run
on it (``timing``). ``generate.py`` and ``run.py`` are their command lines."""
