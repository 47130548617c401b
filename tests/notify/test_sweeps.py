"""Supervision sweeps: 催办 once per deadline, 督办 once to supervisors, 通报 after 5 working days; skips; inbox."""

from __future__ import annotations

from sqlalchemy import select, update

from responder.models import Assignment, Event, Notification
from responder.notify import service
from responder.notify.sweeps import Window, escalate_overdue, notice_list, remind_due_soon
from responder.workflow.calendar import WorkCalendar
from responder.workflow.sweeps import run_all
from tests.notify.conftest import LEAD, OTHER, SQLITE_ONLY, assignment, at

FRIDAY_NOON = at("2026-11-20T12:00:00+08:00")


def notes(db, **filters) -> list[tuple[int, str]]:
    """(user id, dedupe key) of the notifications matching `filters`, sorted."""
    rows = db.session.scalars(select(Notification).filter_by(**filters))
    return sorted((n.user_id, n.dedupe_key) for n in rows)


def test_window_is_the_next_working_day_on_the_official_calendar():
    w = Window.at(FRIDAY_NOON, WorkCalendar())
    assert w.horizon == at("2026-11-24T00:00:00+08:00")  # Friday: Monday's deadlines are due soon, Tuesday's not
    assert (w.opened_today, w.opened_later) == (at("2026-11-19T00:00:00+08:00"), at("2026-11-20T00:00:00+08:00"))
    assert w.notice_before == at("2026-11-16T00:00:00+08:00")  # 16–20 November are the last 5 working days
    saturday = Window.at(at("2026-11-21T09:00:00+08:00"), WorkCalendar())
    assert saturday.horizon == w.horizon and saturday.opened_later == w.opened_later
    national_day = Window.at(at("2026-09-30T12:00:00+08:00"), WorkCalendar())
    assert national_day.horizon == at("2026-10-09T00:00:00+08:00")  # next working day after 30 Sep is 8 Oct
    back = Window.at(at("2026-10-08T09:00:00+08:00"), WorkCalendar())
    assert back.opened_today == at("2026-09-30T00:00:00+08:00")


def test_reminders_go_to_the_units_users_once_per_deadline(db, flow, people):
    # A 咨询 received on Friday is due Tuesday 24 Nov; signing for it is due Monday 23 Nov.
    no, aid = flow.dispatched("R-1", "2026-11-20T09:30:00+08:00")
    _, far = flow.dispatched("R-2", "2026-11-20T09:30:00+08:00", request_type="complaint")  # due 11 December
    flow.accept(far)
    assert remind_due_soon(FRIDAY_NOON) == 1
    sign_key = f"remind:{aid}:sign:2026-11-23"
    assert notes(db, kind="reminder") == [(people["handler1"], sign_key), (people["handler2"], sign_key)]
    for later in ("2026-11-20T12:00:00+08:00", "2026-11-20T23:00:00+08:00", "2026-11-22T10:00:00+08:00"):
        assert remind_due_soon(at(later)) == 0  # same deadline: nothing twice, weekend included
    note = db.session.scalar(select(Notification).filter_by(user_id=people["handler1"]))
    assert no in note.title and "签收" in note.title and "2026-11-23 23:59" in note.title

    flow.accept(aid)  # signed for: now the handling deadline (Tuesday) is the one that comes due
    monday = at("2026-11-23T09:00:00+08:00")
    assert remind_due_soon(monday) == 1
    assert remind_due_soon(monday) == 0
    handle_key = f"remind:{aid}:handle:2026-11-24"
    assert [k for _, k in notes(db, kind="reminder", user_id=people["handler1"])] == [handle_key, sign_key]

    db.session.execute(update(Assignment).values(reminded_at=None))  # stamps lost: the dedupe keys still hold
    db.session.commit()
    before = len(notes(db))
    remind_due_soon(monday)
    assert len(notes(db)) == before
    assert not notes(db, user_id=people["elsewhere"]) and not notes(db, user_id=people["sup1"])


def test_escalation_reaches_every_supervisor_once_with_an_audit_event(db, flow, people):
    _, aid = flow.dispatched("E-1", "2026-09-01T09:00:00+08:00", request_type="complaint")  # due in September
    assert escalate_overdue(FRIDAY_NOON) == 1
    assert escalate_overdue(FRIDAY_NOON) == 0
    key = f"escalate:{aid}:handle:2026-09-21"
    expected = sorted((people[u], key) for u in ("handler1", "handler2", "sup1", "sup2"))
    assert notes(db, kind="escalation") == expected
    events = db.session.scalars(select(Event).filter_by(action="escalate")).all()
    assert [(e.actor, e.subject_type, e.subject_id, e.detail) for e in events] == [
        ("system", "assignment", aid, {"kind": "handle"})]
    assert assignment(aid).escalated_at == FRIDAY_NOON

    tuesday = at("2026-11-24T09:00:00+08:00")  # the sign-for deadline (Monday) has now passed as well
    assert escalate_overdue(tuesday) == 1
    assert escalate_overdue(tuesday) == 0
    assert len(notes(db, kind="escalation")) == 8
    assert [e.detail for e in db.session.scalars(select(Event).filter_by(action="escalate"))][-1] == {"kind": "sign"}


@SQLITE_ONLY
def test_paused_finished_and_returned_items_are_left_alone(db, flow, people):
    old = "2026-09-01T09:00:00+08:00"
    _, late = flow.dispatched("S-0", old)
    no_paused, paused = flow.dispatched("S-1", old)
    no_done, done = flow.dispatched("S-2", old)
    _, returned = flow.dispatched("S-3", old)
    flow.pause(paused)
    flow.finish(no_done, done)
    flow.give_back(returned)
    assert assignment(done).status == "done" and assignment(paused).paused_at is not None

    assert escalate_overdue(FRIDAY_NOON) == 1
    assert remind_due_soon(FRIDAY_NOON) == 1  # its sign-for deadline (Monday) is due soon
    assert [row["assignment_id"] for row in notice_list(FRIDAY_NOON).rows] == [late]
    assert {n.assignment_id for n in db.session.scalars(select(Notification))} == {late}


@SQLITE_ONLY
def test_an_assisting_unit_is_chased_until_it_gives_its_opinion(db, flow, people):
    _, lead = flow.dispatched("S-4", "2026-09-01T09:00:00+08:00", assist=(OTHER,))
    helper = db.session.scalar(select(Assignment.id).where(Assignment.role == "assist"))
    assert escalate_overdue(FRIDAY_NOON) == 2  # the opinion is capped at the (September) reply deadline
    title = db.session.scalar(select(Notification.title).filter_by(user_id=people["elsewhere"]))
    assert "协办意见时限" in title
    _, lead2 = flow.dispatched("S-5", "2026-09-02T09:00:00+08:00", assist=(OTHER,))
    helper2 = db.session.scalar(select(Assignment.id).where(Assignment.role == "assist", Assignment.id != helper))
    flow.give_opinion(helper2, OTHER)  # delivered: its clock stops, like a reply awaiting review
    assert escalate_overdue(FRIDAY_NOON) == 1
    assert {n.assignment_id for n in db.session.scalars(select(Notification))} == {lead, helper, lead2}


def test_notice_lists_items_still_overdue_five_working_days_later(db, flow, people):
    no_13, a13 = flow.dispatched("N-1", "2026-11-11T09:00:00+08:00")  # 咨询, due Friday 13 Nov
    no_16, a16 = flow.dispatched("N-2", "2026-11-12T09:00:00+08:00")  # due Monday 16 Nov
    friday = notice_list(at("2026-11-20T09:00:00+08:00"))
    assert friday.notified == 1
    assert [(r["tracking_no"], r["unit"], r["working_days_overdue"], r["due_at"].isoformat()) for r in friday.rows] \
        == [(no_13, LEAD, 5, "2026-11-13T23:59:59+08:00")]
    key = f"notice:{a13}:handle:2026-11-13"
    assert notes(db, kind="notice") == [(people["sup1"], key), (people["sup2"], key)]

    again = notice_list(at("2026-11-20T17:00:00+08:00"))
    assert again.notified == 0 and [r["assignment_id"] for r in again.rows] == [a13]  # listed, not re-sent
    monday = notice_list(at("2026-11-23T09:00:00+08:00"))
    assert monday.notified == 1
    assert [(r["assignment_id"], r["working_days_overdue"]) for r in monday.rows] == [(a13, 6), (a16, 5)]
    assert len(notes(db, kind="notice")) == 4


@SQLITE_ONLY
def test_inbox_counts_lists_and_marks_only_the_users_own(db, flow, people):
    flow.dispatched("I-1", "2026-11-20T09:30:00+08:00")
    flow.dispatched("I-2", "2026-09-01T09:00:00+08:00")
    remind_due_soon(FRIDAY_NOON)
    escalate_overdue(FRIDAY_NOON)
    mine, theirs = people["handler1"], people["sup1"]
    # Two sign-for reminders (both were dispatched on Friday) and one escalation for the September one.
    assert service.unread_count(mine) == 3 and service.unread_count(theirs) == 1
    page = service.list_for(mine, unread_only=True, page=2, per_page=2)
    assert page.total == 3 and len(page.items) == 1
    own_id = page.items[0].id
    foreign_id = service.list_for(theirs).items[0].id
    assert service.mark_read(mine, [own_id, foreign_id]) == 1
    assert service.unread_count(mine) == 2 and service.unread_count(theirs) == 1
    assert service.list_for(mine).total == 3 and service.list_for(mine, unread_only=True).total == 2
    assert service.mark_read(mine) == 2 and service.unread_count(mine) == 0
    assert service.mark_read(mine, []) == 0


@SQLITE_ONLY
def test_run_all_reports_the_supervision_sweeps_and_repeats_nothing(flow):
    flow.dispatched("A-1", "2026-09-01T09:00:00+08:00")
    first = run_all()
    assert first["escalated"] == 1 and {"reminded", "noticed", "webhooks_sent"} <= first.keys()
    second = run_all()
    assert (second["reminded"], second["escalated"], second["noticed"], second["webhooks_sent"]) == (0, 0, 0, 0)


def test_keys_and_titles_use_beijing_dates(db, flow, people):
    # An urgent item (24 hours) received at 00:30 on 19 Nov is due 00:30 on 20 Nov Beijing time — 19 Nov in UTC.
    _, aid = flow.dispatched("L-1", "2026-11-19T00:30:00+08:00", urgency="urgent")
    assert assignment(aid).due_at == at("2026-11-20T00:30:00+08:00")
    assert escalate_overdue(FRIDAY_NOON) == 1
    note = db.session.scalar(select(Notification).filter_by(user_id=people["sup1"]))
    assert note.dedupe_key == f"escalate:{aid}:handle:2026-11-20" and "2026-11-20 00:30" in note.title
