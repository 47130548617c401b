"""responder: 政务舆情回应与诉求办理系统."""

__version__ = "0.1.0"


def create_app(config=None):
    """Build the Flask application (imported lazily so `import responder` has no side effects)."""
    from responder.app import create_app as factory

    return factory(config)
