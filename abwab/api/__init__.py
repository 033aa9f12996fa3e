"""The JSON API: django-ninja, assembled from the routers each app keeps in its own api.py."""
