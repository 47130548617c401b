"""The task ledger (重点任务台账): filled by plan import, groups mapped by an admin, progress, exports."""

from __future__ import annotations

import io
from datetime import date

import pytest

from responder.auth.principal import Principal
from responder.errors import FieldError, NotFound, NotPermitted
from responder.models import Event, PlanTask, RoutingRule, Unit, UnitGroup
from responder.plans import export, groups, ledger
from responder.plans.deadlines import deadline_date
from responder.plans.importer import write_plan
from responder.routing.fengong import parse_plan
from tests.routing.test_fengong import TABLE_SEED, need_seeds


@pytest.mark.parametrize("text, year, expected", [
    ("2021年12月1日前完成", None, date(2021, 12, 1)),
    ("9月底前完成", 2023, date(2023, 9, 30)),
    ("6月底前", None, None),  # no year: not placed
    ("年底前", 2022, date(2022, 12, 31)),
    ("2019年底前", None, date(2019, 12, 31)),
    ("上半年", 2024, date(2024, 6, 30)),
    ("长期坚持", 2024, None),
])
def test_deadline_dates(text, year, expected):
    assert deadline_date(text, year) == expected


@pytest.fixture
def seeded(db):
    need_seeds()
    counts = write_plan(parse_plan(TABLE_SEED), actor="test")
    return counts


def _unit(db, name):
    return db.session.query(Unit).filter_by(name=name).one()


def test_seed_import_fills_the_ledger_idempotently(seeded, db):
    assert seeded["tasks_created"] == 36
    tasks = {int(t.number): t for t in db.session.query(PlanTask)}
    assert len(tasks) == 36 and {t.plan for t in tasks.values()} == {"开平市百合镇2021年政务公开工作要点分工方案"}
    assert sorted(n for n, t in tasks.items() if t.flagged_no_unit) == [16, 20, 21, 22, 35, 36]
    dz, gb = _unit(db, "党政综合办公室"), _unit(db, "公共服务办公室")
    assert tasks[11].lead_unit_ids == [dz.id, gb.id] and tasks[11].assist_unit_ids == []
    assert tasks[19].lead_unit_ids == [dz.id] and tasks[19].groups == ["各职能办公室"]
    assert tasks[26].deadline == date(2021, 12, 1) and tasks[26].year == 2021
    assert tasks[10].rule_id and db.session.get(RoutingRule, tasks[10].rule_id).lead_unit_id == gb.id
    assert tasks[16].rule_id is None and tasks[10].status == "not_started"
    assert db.session.query(UnitGroup).one().name == "各职能办公室"
    again = write_plan(parse_plan(TABLE_SEED), actor="test")
    assert (again["tasks_created"], again["tasks_updated"], again["tasks_unchanged"]) == (0, 0, 36)
    assert db.session.query(PlanTask).count() == 36


def test_mapping_a_group_adds_assisting_units_to_tasks_and_rules(seeded, db):
    task = db.session.query(PlanTask).filter_by(number="19").one()
    jj, zf = _unit(db, "经济发展办公室"), _unit(db, "综合行政执法办公室")
    zf.aliases = ["综合执法办"]  # a unit named by its alias
    db.session.commit()
    groups.map_group("各职能办公室", ["经济发展办公室", "综合执法办"], actor="admin")
    db.session.refresh(task)
    assert task.assist_unit_ids == [jj.id, zf.id]
    rule = db.session.get(RoutingRule, task.rule_id)
    assert sorted(u.id for u in rule.assist_units) == sorted([jj.id, zf.id])
    assert db.session.query(Event).filter_by(action="group.map").count() == 1
    assert groups.list_groups()[0]["units"] == ["经济发展办公室", "综合行政执法办公室"]
    # a re-import keeps the expansion (the group is mapped now)
    assert write_plan(parse_plan(TABLE_SEED), actor="test")["tasks_updated"] == 0
    with pytest.raises(FieldError) as refused:
        groups.map_group("各职能办公室", ["没有这个单位"], actor="admin")
    assert refused.value.fields == {"units": "单位「没有这个单位」不存在"}


def test_status_by_lead_unit_or_admin_only(seeded, db):
    task = db.session.query(PlanTask).filter_by(number="10").one()
    gb, cz = _unit(db, "公共服务办公室"), _unit(db, "财政所")
    lead = Principal(role="unit", name="gb", unit_id=gb.id)
    ledger.update_status(task, {"status": "in_progress", "progress_note": "已在公众号发布接种点"}, lead)
    assert (task.status, task.progress_note, task.status_by) == ("in_progress", "已在公众号发布接种点", "user:gb")
    with pytest.raises(NotPermitted):
        ledger.update_status(task, {"status": "done"}, Principal(role="unit", name="cz", unit_id=cz.id))
    with pytest.raises(NotPermitted):
        ledger.update_status(task, {"status": "done"}, Principal(role="supervisor", name="s"))
    with pytest.raises(FieldError):
        ledger.update_status(task, {"status": "finished"}, Principal(role="admin", name="a"))
    ledger.update_status(task, {"status": "done"}, Principal(role="admin", name="a"))
    events = db.session.query(Event).filter_by(action="plan_task.status", subject_id=task.id).all()
    assert [e.detail["after"]["status"] for e in events] == ["in_progress", "done"]


def test_filters_and_exports(seeded, db):
    gb = _unit(db, "公共服务办公室")
    mine, total = ledger.list_tasks(ledger.TaskFilter(unit_id=gb.id))
    assert sorted(int(t.number) for t in mine) == [7, 10, 11, 12, 13] and total == 5
    flagged, _ = ledger.list_tasks(ledger.TaskFilter(flagged=True))
    assert [t.number for t in flagged] == ["16", "20", "21", "22", "35", "36"]
    task = db.session.query(PlanTask).filter_by(number="1").one()
    task.progress_note = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    names = ledger.unit_names()
    rows = list(db.session.scalars(ledger.task_query(ledger.TaskFilter())))
    text = export.to_csv(rows, names).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("方案,序号,工作任务,具体要求,牵头单位")
    assert "'=HYPERLINK" in text
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.to_xlsx(rows, names))).active
    assert sheet.freeze_panes == "A2" and sheet["A1"].value == "方案" and sheet.max_row == 37
    notes = [sheet.cell(row=r, column=12).value for r in range(2, 38)]
    assert "'=HYPERLINK(\"http://x\")" in notes
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


@pytest.mark.postgres
def test_unit_filter_on_postgres(pg_url):
    """The unit filter compares JSON id arrays as text: the same answers on PostgreSQL's JSONB."""
    from responder.app import create_app
    from responder.extensions import db
    from tests.conftest import base_config

    app = create_app(base_config(pg_url))
    with app.app_context():
        db.create_all()
        db.session.add_all([
            PlanTask(plan="p", item_key="a", text="a", requirement="a", lead_unit_ids=[1, 12], assist_unit_ids=[]),
            PlanTask(plan="p", item_key="b", text="b", requirement="b", lead_unit_ids=[2], assist_unit_ids=[21, 1])])
        db.session.commit()
        found = {uid: [t.item_key for t in ledger.list_tasks(ledger.TaskFilter(unit_id=uid))[0]]
                 for uid in (1, 2, 12, 21, 3)}
        assert found == {1: ["a", "b"], 2: ["b"], 12: ["a"], 21: ["b"], 3: []}
        db.session.remove()
        db.engine.dispose()


def test_a_task_is_hidden_from_units_that_neither_lead_nor_assist_it(db):
    from responder import directory

    lead, assist, other = (directory.ensure_unit(n, actor="t")[0] for n in ("财政所", "经济发展办公室", "司法所"))
    task = PlanTask(plan="要点", item_key="1||清运", text="清运", requirement="清运", responsibility="财政所",
                    lead_unit_ids=[lead.id], assist_unit_ids=[assist.id])
    db.session.add(task)
    db.session.commit()
    with pytest.raises(NotFound):  # its existence is not revealed to a stranger
        ledger.get_task_for(Principal(role="unit", name="o", unit_id=other.id), task.id)
    helper = Principal(role="unit", name="a", unit_id=assist.id)
    assert ledger.get_task_for(helper, task.id) is task  # an assisting unit sees it, but only the lead reports
    with pytest.raises(NotPermitted):
        ledger.update_status(task, {"status": "done"}, helper)
    assert ledger.get_task_for(Principal(role="admin", name="ad"), task.id) is task
    with pytest.raises(NotFound):
        ledger.get_task_for(Principal(role="admin", name="ad"), task.id + 1)
