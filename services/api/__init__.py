"""The api service: the OpenStack-compatible REST APIs, served by gunicorn."""
