"""Pricing a whole customer base (SPEC section 9): the catalog compiled to exact integer
tables (``compiled``), the invoice of every customer in SQL written once for DuckDB and
Spark (``sql``, ``dialect``), the engines that run it (``duckdb_engine``, ``spark_engine``),
and the reference engine they are checked against (``reference``)."""
