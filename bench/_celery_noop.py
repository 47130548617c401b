"""The raw baseline for worker throughput: a trivial Celery task on the same broker and settings.

    NOOP_BROKER=redis://127.0.0.1:6379/12 celery -A _celery_noop worker --concurrency 1   (cwd bench/)
Each task only increments a Redis counter, so the rate is Celery's own round trip per task.
"""

import os

import redis
from celery import Celery

BROKER = os.environ.get("NOOP_BROKER", "redis://127.0.0.1:6379/12")
COUNTER = "bench_noop_done"

app = Celery("bench_noop", broker=BROKER)
app.conf.update(  # the app's settings that matter for throughput (responder/config.py)
    task_ignore_result=True, task_acks_late=True, task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1, broker_connection_retry_on_startup=True,
    task_default_queue="bench_noop",
)
_redis = None


@app.task(name="bench.noop")
def noop(i: int) -> None:
    global _redis
    if _redis is None:
        _redis = redis.Redis.from_url(BROKER)
    _redis.incr(COUNTER)
