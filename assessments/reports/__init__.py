"""Printed appraisal forms: HTML from Django templates, PDF from WeasyPrint.

context.py gathers what a form shows (reads the database); render.py turns HTML into PDF with
one FontConfiguration and one stylesheet per process (no database, no network), refusing a form
over the bounds of length and size; workers.py lays each form out in a child process stopped at
the time bound; batch.py prints many forms on every core and joins them into one file.
"""
