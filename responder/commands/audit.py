"""`responder audit verify`: check the audit hash chain; exit 0 when intact, 1 at the first broken event."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from responder.audit_chain import SEAL_GRACE, verify
from responder.extensions import db


@click.group("audit", help="审计记录")
def audit_group():
    """Audit trail commands."""


@audit_group.command("verify", help="校验审计哈希链：完整退出码 0；发现被改、被删或未入链的事件则报告第一条，退出码 1")
@with_appcontext
def verify_command():
    with db.engine.connect() as conn:
        verdict = verify(conn)
    waiting = f"；另有 {verdict.pending} 条新事件等待入链（{SEAL_GRACE.seconds // 60} 分钟内由定时任务封存）" \
        if verdict.pending else ""
    if verdict.intact:
        click.echo(f"审计链完整：已校验 {verdict.checked} 条事件{waiting}")
        return
    where = f"事件 id={verdict.event_id}" + (f"（序号 {verdict.seq}）" if verdict.seq is not None else "")
    click.echo(f"审计链断裂：{where}：{verdict.problem}；此前 {verdict.checked} 条事件完好", err=True)
    raise SystemExit(1)
