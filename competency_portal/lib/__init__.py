"""Helpers shared by both apps: Thai presentation, CSV in and out, downloads, logging."""
