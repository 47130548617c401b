"""A model shipped as a data file: loaded once per process on first use, checked against the code's version."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path


class ShippedModel:
    """Thread-safe lazy holder; a file of another version than the code expects is a clear error."""

    def __init__(self, path: Path, version: str | None, trainer: str, loader: Callable[[], object]):
        """`version` None accepts whatever version the file holds (a deployment's retrained model)."""
        self.path, self.version, self.trainer, self._loader = path, version, trainer, loader
        self._model = None
        self._lock = threading.RLock()

    def get(self):
        """The loaded model (loads it on the first call)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    loaded = self._loader()
                    if self.version is not None and loaded.version != self.version:
                        raise RuntimeError(
                            f"{self.path} holds {loaded.version!r}, code expects {self.version!r}: "
                            f"retrain with `python -m {self.trainer}` or bump the version"
                        )
                    self._model = loaded
        return self._model
