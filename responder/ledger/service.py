"""Commitments: the unit records fulfilment with evidence; a supervisor records where it was disclosed."""

from __future__ import annotations

from responder.auth.principal import Principal
from responder.errors import Conflict, FieldError, NotFound, NotPermitted
from responder.extensions import db
from responder.models import Commitment, Response, utcnow
from responder.validation import single_text
from responder.workflow.service import decide


def get_commitment_for(principal: Principal, commitment_id: int) -> Commitment:
    """A commitment, or 404 — also when it is another unit's."""
    row = db.session.get(Commitment, commitment_id)
    if row is None or (principal.role == "unit" and row.unit_id != principal.unit_id):
        raise NotFound("未找到该承诺")
    return row


def fulfil(commitment: Commitment, body, actor: Principal) -> None:
    """承诺已落实: the responsible unit, with evidence, once its reply was approved."""
    if actor.role != "unit":
        raise NotPermitted("只有承办单位可以登记落实情况")
    evidence = single_text(body, "evidence", max_len=5000)
    if db.session.get(Response, commitment.response_id).status != "approved":
        raise Conflict("答复尚未审核通过", {"status": commitment.status})
    decide(commitment, "fulfilled", actor, {"evidence": evidence}, evidence=evidence, fulfilled_at=utcnow())
    db.session.commit()


def publish(commitment: Commitment, body, actor: Principal) -> None:
    """落实情况已公开: a supervisor records where the fulfilment was made public."""
    if actor.role != "supervisor":
        raise NotPermitted("只有督办/审核人员可以登记公开情况")
    url = single_text(body, "url", max_len=1000)
    if not url.startswith(("http://", "https://")):
        raise FieldError("url", "应为 http(s) 链接")
    decide(commitment, "published", actor, {"url": url}, expected="fulfilled", disclosure_url=url,
           disclosed_at=utcnow())
    db.session.commit()
