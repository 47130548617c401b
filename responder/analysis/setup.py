"""Which topic model a process serves.

RESPONDER_TOPIC_MODEL (a file), else instance/models/topic_model.json.gz (`responder train topics`), else shipped.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from responder.analysis import topics

#: Where `responder train topics` puts the model it trains, inside the instance folder.
INSTANCE_MODEL = Path("models") / "topic_model.json.gz"


def topic_model_path(app: Flask) -> Path | None:
    """The retrained model file the app should serve, or None for the shipped one."""
    configured = app.config.get("TOPIC_MODEL")
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise RuntimeError(f"RESPONDER_TOPIC_MODEL={configured}: no such file")
        return path
    candidate = Path(app.instance_path) / INSTANCE_MODEL
    return candidate if candidate.is_file() else None


def select_topic_model(app: Flask) -> None:
    """Point the topic classifier at the app's model file (loaded lazily, on first use)."""
    topics.use_model_file(topic_model_path(app))
