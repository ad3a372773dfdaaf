"""Files out: a round's results (CSV, XLSX) and the numbers of the analytics charts (CSV)."""
