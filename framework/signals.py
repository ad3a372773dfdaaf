"""What the framework tells whoever listens, without knowing them: the assessments app
records these in its audit trail (assessments/services/audit.py), framework imports nothing
of it.

Each is sent with `framework` (the version) and `by` (the user, None for a command); `exported`
also with `format` ("json" or "csv") and `request` (None for a command).
"""

from django.dispatch import Signal

published = Signal()
imported = Signal()
exported = Signal()
