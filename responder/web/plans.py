"""Pages for the task ledger (重点任务台账) and the plans' collective references (集体表述).

Supervisors and admins see every task; a unit handler sees the tasks its unit leads or assists. Status changes
and group mappings go through responder.plans (which check who may, audit and commit).
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for

from responder.admin_service import split_words
from responder.errors import DomainError
from responder.models import TASK_STATUS_LABELS
from responder.plans import export, groups, ledger
from responder.web.actions import form_body, perform
from responder.web.guards import principal, role_required

bp = Blueprint("plans", __name__, url_prefix="/plans")


def _filters() -> tuple[ledger.TaskFilter, str | None]:
    """The list's filters; a unit handler is always held to their own unit."""
    me = principal()
    try:
        return ledger.TaskFilter.from_args(request.args, unit_id=me.unit_id if me.role == "unit" else None), None
    except DomainError as refused:
        return ledger.TaskFilter(unit_id=me.unit_id if me.role == "unit" else None), refused.message + "".join(
            f"（{k}：{v}）" for k, v in refused.fields.items())


@bp.get("/tasks")
@role_required("supervisor", "admin", "unit")
def tasks():
    """The ledger, filtered by plan, unit, status and missing units; ?format=csv|xlsx downloads all matches."""
    filters, error = _filters()
    names = ledger.unit_names()
    fmt = request.args.get("format")
    if fmt in ("csv", "xlsx"):
        return export.download_tasks(filters, fmt)
    rows, total = ledger.list_tasks(filters)
    me = principal()
    return render_template("plans/tasks.html", rows=rows, total=total, filters=filters, error=error, names=names,
                           plans=ledger.plans(), statuses=TASK_STATUS_LABELS, me=me,
                           pages=max(1, -(-total // ledger.PER_PAGE)),
                           unit_options=sorted(names.values()) if me.role != "unit" else [])


@bp.post("/tasks/<int:task_id>/status")
@role_required("admin", "unit")
def task_status(task_id: int):
    """Record progress: 未启动 / 推进中 / 已完成 and a note (the task's lead unit or an admin)."""
    body = form_body()
    back = request.form.get("next") or url_for("plans.tasks")
    if not back.startswith("/") or back.startswith("//"):
        back = url_for("plans.tasks")
    task = ledger.get_task_for(principal(), task_id)  # outside `perform`: another unit's task is a 404, not a flash
    return perform(lambda: ledger.update_status(task, body, principal()), "任务进度已更新", back)


@bp.get("/groups")
@role_required("admin")
def group_list():
    """Collective references found in plans, and the units each one means."""
    return render_template("plans/groups.html", groups=groups.list_groups(),
                           names=sorted(ledger.unit_names().values()))


@bp.post("/groups/<int:group_id>")
@role_required("admin")
def group_map(group_id: int):
    group = groups.get_group(group_id) if group_id else abort(404)
    units = split_words(request.form.get("units"))
    return perform(lambda: groups.map_group(group.name, units, actor=principal().actor,
                                            note=request.form.get("note")),
                   f"「{group.name}」的映射已保存", url_for("plans.group_list"))
