"""Management commands of the framework app."""
