"""The framework's commands: load_framework, export_framework, import_framework."""
