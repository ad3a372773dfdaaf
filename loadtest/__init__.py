"""`make loadtest`: the portal under load (gunicorn, PostgreSQL) with and without password
guessers; see docs/reliability.md."""
