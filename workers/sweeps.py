"""Periodic sweeps; the same functions run from `responder sweep`."""

from celery import shared_task

from responder import audit_chain
from responder.extensions import db
from responder.ledger import sweeps as commitments
from responder.notify import sweeps as supervision
from responder.notify import webhooks
from responder.reports import rollup
from responder.workflow import sweeps


@shared_task(name="sweeps.requeue_stuck")
def requeue_stuck() -> int:
    return sweeps.requeue_stuck()


@shared_task(name="sweeps.mark_overdue")
def mark_overdue() -> int:
    return sweeps.mark_overdue()


@shared_task(name="sweeps.remind")
def remind() -> int:
    return supervision.remind_due_soon()


@shared_task(name="sweeps.escalate")
def escalate() -> int:
    return supervision.escalate_overdue()


@shared_task(name="sweeps.notice")
def notice() -> int:
    return supervision.notice_list().notified


@shared_task(name="notify.deliver_webhooks")
def deliver_webhooks() -> int:
    return webhooks.deliver_pending()


@shared_task(name="sweeps.commitments_overdue")
def commitments_overdue() -> int:
    return commitments.mark_overdue_commitments()


@shared_task(name="sweeps.kpi_rollup")
def kpi_rollup() -> dict:
    return rollup.refresh()


@shared_task(name="audit.seal")
def seal_audit() -> int:
    return audit_chain.seal_pending(db.session)


@shared_task(name="sweeps.run_all")
def run_all() -> dict:
    return sweeps.run_all()
