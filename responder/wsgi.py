"""WSGI entry point for gunicorn: `gunicorn responder.wsgi:app`."""

from responder.app import create_app

app = create_app()
