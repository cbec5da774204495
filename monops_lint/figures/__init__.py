"""What a change does to every customer, and the business's key metrics (SPEC section 9):
``impact`` compares the base priced at two revisions, ``metrics`` reads one; both in SQL
over an engine's invoices, written once for DuckDB and Spark."""
