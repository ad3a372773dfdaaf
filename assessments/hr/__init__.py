"""Every HR page. Their URL patterns (hr/urls.py) are wrapped by one gate in
competency_portal/urls.py."""
