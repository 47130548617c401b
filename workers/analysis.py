"""Analysis tasks: ids in, the same service functions the web app calls."""

from celery import shared_task
from sqlalchemy.exc import OperationalError

from responder.routing.service import analyse_and_route, route_message


@shared_task(name="analysis.analyse_message", autoretry_for=(OperationalError,), retry_backoff=True,
             max_retries=5)
def analyse_message(message_id: int) -> None:
    """Analyse a message and route it to its units, in one transaction (idempotent: a message already
    analysed is only routed, if it still waits for that)."""
    if not analyse_and_route(message_id):
        route_message(message_id)


@shared_task(name="analysis.analyse_messages", autoretry_for=(OperationalError,), retry_backoff=True,
             max_retries=5)
def analyse_messages(message_ids: list[int]) -> None:
    """A few messages from one bulk intake, each analysed and routed in its own transaction.

    One task per chunk instead of per message makes bulk enqueueing cheap; a redelivered chunk
    skips the messages already done (both steps are idempotent).
    """
    for message_id in message_ids:
        if not analyse_and_route(message_id):
            route_message(message_id)
