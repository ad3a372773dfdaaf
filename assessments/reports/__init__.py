"""Printed appraisal forms: HTML from Django templates, PDF from WeasyPrint.

context.py gathers what a form shows (reads the database); render.py turns HTML into PDF with
one FontConfiguration and one stylesheet per process (no database, no network); batch.py prints
many forms on every core and joins them into one file.
"""
