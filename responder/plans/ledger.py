"""The task ledger (重点任务台账): one row per plan item, filled by `plan import`, followed up by the lead units.

The seeds ask that every task is checked item by item (逐项核查落实情况): status 未启动 / 推进中 / 已完成 with
a progress note, changed by a lead unit of the task or an admin, each change an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, String, cast, func, literal, or_, select

from responder.audit import record
from responder.auth.principal import Principal
from responder.directory import find_unit
from responder.errors import FieldError, NotFound, NotPermitted
from responder.extensions import db
from responder.models import TASK_STATUS_LABELS, TASK_STATUSES, PlanTask, RoutingRule, Unit, utcnow
from responder.plans.deadlines import deadline_date, plan_year
from responder.routing.fengong import Task, is_group, parse_responsibility
from responder.validation import page_number

PER_PAGE = 50


def resolve(lead: list[str], assist: list[str], unit_ids: dict[str, int],
            mapped: dict[str, list[int]]) -> tuple[list[int], list[int], list[str]]:
    """(lead unit ids, assisting unit ids, group names): mapped groups add their units as assisting units."""
    leads = [unit_ids[n] for n in lead if not is_group(n) and n in unit_ids]
    assists: list[int] = []
    for name in lead + assist:
        if is_group(name):
            assists.extend(mapped.get(name, []))
        elif name in assist and name in unit_ids:
            assists.append(unit_ids[name])
    named_groups = [n for n in dict.fromkeys(lead + assist) if is_group(n)]
    return list(dict.fromkeys(leads)), [a for a in dict.fromkeys(assists) if a not in leads], named_groups


def item_key(task: Task, text: str) -> str:
    return f"{task.number or ''}|{task.section or ''}|{text}"[:240]


def upsert_task(plan: str, title: str | None, task: Task, text: str, lead_ids: list[int], assist_ids: list[int],
                named_groups: list[str], rule_id: int | None, *, actor: str) -> str:
    """Insert or refresh one ledger row (status and progress are kept): 'created' | 'updated' | 'unchanged'."""
    year = plan_year(title) or plan_year(plan)
    values = {
        "year": year, "number": task.number, "section": (task.section or None) and task.section[:300],
        "text": text[:300], "requirement": task.text, "responsibility": task.responsibility,
        "lead_unit_ids": lead_ids, "assist_unit_ids": assist_ids, "groups": named_groups,
        "deadline_text": (task.deadline or None) and task.deadline[:60],
        "deadline": deadline_date(task.deadline, year), "flagged_no_unit": bool(task.flagged), "rule_id": rule_id,
    }
    key = item_key(task, text)
    row = db.session.scalar(select(PlanTask).where(PlanTask.plan == plan, PlanTask.item_key == key))
    if row is not None and all(getattr(row, k) == v for k, v in values.items()):
        return "unchanged"
    outcome = "updated" if row is not None else "created"
    if row is None:
        row = PlanTask(plan=plan, item_key=key, status="not_started")
        db.session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    db.session.flush()
    record(actor, f"plan_task.{'create' if outcome == 'created' else 'update'}", subject_type="plan_task",
           subject_id=row.id, detail={"plan": plan, "number": task.number, "lead": lead_ids, "assist": assist_ids,
                                      "groups": named_groups, "flagged": bool(task.flagged)})
    return outcome


def reapply_groups(names: list[str], *, actor: str) -> int:
    """After a group is (re)mapped: recompute the assisting units of the tasks and plan rules naming it."""
    from responder.plans.groups import group_units

    mapped = group_units()
    wanted = set(names)
    changed = 0
    # Only rows that name a group are candidates; plans hold tens of tasks, not millions.
    for task in db.session.scalars(select(PlanTask).where(PlanTask.responsibility != "")):
        if not wanted & set(task.groups or []):
            continue
        lead, assist = parse_responsibility(task.responsibility)
        unit_ids = {}
        for name in lead + assist:
            if not is_group(name):
                try:
                    unit_ids[name] = find_unit(name).id
                except FieldError:
                    continue
        lead_ids, assist_ids, _ = resolve(lead, assist, unit_ids, mapped)
        if (task.lead_unit_ids, task.assist_unit_ids) == (lead_ids, assist_ids):
            continue
        task.lead_unit_ids, task.assist_unit_ids = lead_ids, assist_ids
        record(actor, "plan_task.update", subject_type="plan_task", subject_id=task.id,
               detail={"assist": assist_ids, "reason": "group mapping"})
        rule = db.session.get(RoutingRule, task.rule_id) if task.rule_id else None
        if rule is not None:
            extra = [i for i in lead_ids if i != rule.lead_unit_id] + assist_ids
            rule.assist_units = list(db.session.scalars(select(Unit).where(Unit.id.in_(extra)))) if extra else []
            record(actor, "rule.update", subject_type="routing_rule", subject_id=rule.id,
                   detail={"name": rule.name, "assists": extra, "reason": "group mapping"})
        changed += 1
    db.session.flush()
    return changed


@dataclass
class TaskFilter:
    plan: str | None = None
    unit_id: int | None = None
    status: str | None = None
    flagged: bool | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args, unit_id: int | None = None) -> TaskFilter:
        """Parse plan/unit/status/flagged/page; bad values name their field."""
        status = (args.get("status") or "").strip() or None
        if status and status not in TASK_STATUSES:
            raise FieldError("status", "取值应为 " + " / ".join(TASK_STATUSES))
        raw_flag = (args.get("flagged") or "").strip().lower()
        if raw_flag not in ("", "1", "0", "true", "false"):
            raise FieldError("flagged", "应为 true 或 false")
        unit_name = (args.get("unit") or "").strip()
        if unit_id is None and unit_name:
            unit_id = find_unit(unit_name, "unit").id
        return cls(plan=(args.get("plan") or "").strip() or None, unit_id=unit_id, status=status,
                   flagged=None if not raw_flag else raw_flag in ("1", "true"), page=page_number(args.get("page")))


def _id_list(column):
    """A JSON id array as ',1,2,' text, the same on SQLite and PostgreSQL, so LIKE finds one id."""
    text = func.replace(func.replace(func.replace(cast(column, String), " ", ""), "[", ""), "]", "")
    return literal(",") + text + literal(",")


def _unit_clause(unit_id: int):
    """Tasks a unit leads or assists."""
    pattern = f"%,{int(unit_id)},%"
    return or_(_id_list(PlanTask.lead_unit_ids).like(pattern), _id_list(PlanTask.assist_unit_ids).like(pattern))


def task_query(f: TaskFilter) -> Select:
    query = select(PlanTask)
    if f.plan:
        query = query.where(PlanTask.plan == f.plan)
    if f.status:
        query = query.where(PlanTask.status == f.status)
    if f.flagged is not None:
        query = query.where(PlanTask.flagged_no_unit.is_(f.flagged))
    if f.unit_id is not None:
        query = query.where(_unit_clause(f.unit_id))
    return query.order_by(PlanTask.plan, PlanTask.id)


def list_tasks(f: TaskFilter, *, per_page: int = PER_PAGE) -> tuple[list[PlanTask], int]:
    query = task_query(f)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = list(db.session.scalars(query.limit(per_page).offset((f.page - 1) * per_page)))
    return rows, total


def plans() -> list[str]:
    return list(db.session.scalars(select(PlanTask.plan).distinct().order_by(PlanTask.plan)))


def unit_names() -> dict[int, str]:
    return dict(db.session.execute(select(Unit.id, Unit.name)).all())


def task_dict(task: PlanTask, names: dict[int, str]) -> dict:
    """A ledger row as the API and the exports show it."""
    return {
        "id": task.id, "plan": task.plan, "year": task.year, "number": task.number, "section": task.section,
        "text": task.text, "requirement": task.requirement, "responsibility": task.responsibility,
        "lead": [names.get(i, str(i)) for i in task.lead_unit_ids or []],
        "assist": [names.get(i, str(i)) for i in task.assist_unit_ids or []],
        "groups": list(task.groups or []), "deadline_text": task.deadline_text,
        "deadline": task.deadline.isoformat() if task.deadline else None,
        "flagged_no_unit": task.flagged_no_unit, "status": task.status,
        "status_label": TASK_STATUS_LABELS.get(task.status, task.status), "progress_note": task.progress_note,
        "rule_id": task.rule_id,
    }


def get_task(task_id: int) -> PlanTask:
    task = db.session.get(PlanTask, task_id)
    if task is None:
        raise NotFound("任务不存在")
    return task


def get_task_for(actor: Principal, task_id: int) -> PlanTask:
    """One task, or 404 — also for a unit handler whose unit neither leads nor assists it (not revealed)."""
    task = get_task(task_id)
    if actor.role == "unit" and actor.unit_id not in (task.lead_unit_ids or []) + (task.assist_unit_ids or []):
        raise NotFound("任务不存在")
    return task


def update_status(task: PlanTask, body, actor: Principal) -> PlanTask:
    """A lead unit of the task or an admin sets 未启动 / 推进中 / 已完成 and a progress note."""
    if not isinstance(body, dict):
        raise FieldError("body", "应为 JSON 对象")
    if actor.role != "admin" and not (actor.role == "unit" and actor.unit_id in (task.lead_unit_ids or [])):
        raise NotPermitted("只有该任务的牵头单位或管理员可以更新进度")
    status = body.get("status")
    if status not in TASK_STATUSES:
        raise FieldError("status", "取值应为 " + " / ".join(TASK_STATUSES))
    note = body.get("progress_note", task.progress_note)
    if note is not None and (not isinstance(note, str) or len(note) > 2000):
        raise FieldError("progress_note", "应为不超过 2000 字的文字")
    before = {"status": task.status, "progress_note": task.progress_note}
    task.status, task.progress_note = status, (note or "").strip() or None
    task.status_by, task.status_at = actor.actor, utcnow()
    record(actor.actor, "plan_task.status", subject_type="plan_task", subject_id=task.id,
           detail={"before": before, "after": {"status": status, "progress_note": task.progress_note}})
    db.session.commit()
    return task
