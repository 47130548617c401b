from datetime import date, datetime, timedelta, timezone

import pytest

from responder.workflow.calendar import WorkCalendar
from responder.workflow.sla import (
    DEFAULT_POLICIES,
    TZ,
    Deadline,
    Limit,
    Policy,
    due_at,
    is_overdue,
    resolve_limit,
)

POLICIES = [Policy(**row) for row in DEFAULT_POLICIES]
RECEIVED = datetime.fromisoformat("2026-09-30T10:00:00+08:00")


def limit_for(request_type, *, channel="hotline", urgency="normal", kind="handle", policies=POLICIES):
    return resolve_limit(policies, kind=kind, channel=channel, request_type=request_type, urgency=urgency)


def handle_deadline(received, request_type, calendar=None, **kw):
    return due_at(received, limit_for(request_type, **kw), calendar or WorkCalendar())


@pytest.mark.parametrize(
    ("request_type", "due"),
    [
        ("complaint", "2026-10-27T23:59:59+08:00"),
        ("report", "2026-10-27T23:59:59+08:00"),
        ("consult", "2026-10-09T23:59:59+08:00"),
        ("help", "2026-10-20T23:59:59+08:00"),
        ("suggestion", "2026-10-20T23:59:59+08:00"),
        ("praise", "2026-10-13T23:59:59+08:00"),  # Oct 8, 9, 10 (make-up Saturday), 12, 13
        ("disclosure", "2026-11-03T23:59:59+08:00"),  # 15th is Oct 27; then 28, 29, 30, Nov 2, 3
    ],
)
def test_national_day_2026(request_type, due):
    deadline = handle_deadline(RECEIVED, request_type)
    assert deadline == Deadline(datetime.fromisoformat(due), provisional=False)
    assert deadline.due_at.tzinfo is TZ


def test_urgent_runs_24_calendar_hours_even_through_the_holiday():
    deadline = handle_deadline(RECEIVED, "complaint", urgency="urgent")
    assert deadline.due_at == RECEIVED + timedelta(hours=24)
    assert deadline.due_at.isoformat() == "2026-10-01T10:00:00+08:00"
    assert not deadline.provisional


def test_urgent_sign_within_2_hours_normal_sign_next_working_day():
    urgent = due_at(RECEIVED, limit_for(None, kind="sign", urgency="urgent"), WorkCalendar())
    assert urgent.due_at == RECEIVED + timedelta(hours=2)
    normal = due_at(RECEIVED, limit_for("complaint", kind="sign"), WorkCalendar())
    assert normal.due_at.isoformat() == "2026-10-08T23:59:59+08:00"


def test_hours_are_exact_elapsed_time_and_returned_in_shanghai_time():
    start = datetime(2026, 9, 30, 20, 15, 7, tzinfo=timezone.utc)
    deadline = due_at(start, Limit(hours=24), WorkCalendar())
    assert deadline.due_at - start == timedelta(hours=24)
    assert deadline.due_at.isoformat() == "2026-10-02T04:15:07+08:00"


def test_runs_into_unknown_2027_provisionally():
    received = datetime.fromisoformat("2026-12-28T10:00:00+08:00")
    deadline = handle_deadline(received, "complaint")
    # Dec 29-31, then weekdays only (Jan 1, a Friday, counted as a working day).
    assert deadline == Deadline(datetime.fromisoformat("2027-01-18T23:59:59+08:00"), provisional=True)
    entered = WorkCalendar({date(2027, 1, 1): False})
    deadline = handle_deadline(received, "complaint", calendar=entered)
    # One admin-entered 2027 day makes 2027 a known year, so the result is no longer provisional.
    assert deadline == Deadline(datetime.fromisoformat("2027-01-19T23:59:59+08:00"), provisional=False)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # The brief's cases; Oct 1-7 are holidays, so Sep 30 and Oct 1 happen to give the same day.
        ("2026-09-30T23:30:00+08:00", "2026-10-09T23:59:59+08:00"),
        ("2026-09-30T17:00:00+00:00", "2026-10-09T23:59:59+08:00"),  # = Oct 1 01:00 local
        # Cases where the local date changes the answer (consult, 2 working days).
        ("2026-10-08T23:30:00+08:00", "2026-10-10T23:59:59+08:00"),  # Oct 9, Oct 10 (make-up Sat)
        ("2026-10-08T15:30:00+00:00", "2026-10-10T23:59:59+08:00"),  # = Oct 8 23:30 local
        ("2026-10-08T16:30:00+00:00", "2026-10-12T23:59:59+08:00"),  # = Oct 9 00:30 local
    ],
)
def test_local_date_is_what_counts(received, due):
    deadline = handle_deadline(datetime.fromisoformat(received), "consult")
    assert deadline.due_at == datetime.fromisoformat(due)


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        due_at(datetime(2026, 9, 30, 10), Limit(working_days=2), WorkCalendar())
    with pytest.raises(ValueError):
        is_overdue(datetime(2026, 9, 30, 10), RECEIVED)


def test_is_overdue():
    due = datetime.fromisoformat("2026-10-09T23:59:59+08:00")
    assert not is_overdue(due, due)
    assert is_overdue(due, due + timedelta(seconds=1))
    assert not is_overdue(due, datetime.fromisoformat("2026-10-09T15:59:59+00:00"))
    assert is_overdue(due, datetime.fromisoformat("2026-10-09T16:00:00+00:00"))


def test_limit_needs_exactly_one_measure():
    for bad in ({}, {"working_days": 1, "hours": 2}, {"working_days": -1}):
        with pytest.raises(ValueError):
            Limit(**bad)


@pytest.mark.parametrize(
    ("kind", "channel", "request_type", "urgency", "expected"),
    [
        ("handle", "hotline", "consult", "normal", Limit(working_days=2)),
        ("handle", "mailbox", "help", "normal", Limit(working_days=10)),
        ("handle", "newmedia", "suggestion", "normal", Limit(working_days=10)),
        ("handle", "newmedia", "complaint", "normal", Limit(working_days=15)),
        ("handle", "hotline", "report", "normal", Limit(working_days=15)),
        ("handle", "hotline", "praise", "normal", Limit(working_days=5)),
        ("handle", "mailbox", "disclosure", "normal", Limit(working_days=20)),
        ("handle", "newmedia", "consult", "urgent", Limit(hours=24)),
        ("handle", "mailbox", None, "urgent", Limit(hours=24)),
        ("sign", "hotline", "complaint", "urgent", Limit(hours=2)),
        ("sign", "hotline", "complaint", "normal", Limit(working_days=1)),
        ("sign", "elsewhere", None, "normal", Limit(working_days=1)),
        # No request type known: the channel decides.
        ("handle", "mailbox", None, "normal", Limit(working_days=15)),
        ("handle", "hotline", None, "normal", Limit(working_days=10)),
        ("handle", "newmedia", None, "normal", Limit(working_days=2)),
        ("handle", "fax", None, "normal", Limit(working_days=15)),  # catch-all
        ("handle", "fax", "consult", "normal", Limit(working_days=2)),
        ("extension_cap", "mailbox", "disclosure", "normal", Limit(working_days=20)),
        ("extension_cap", "hotline", "complaint", "normal", Limit(working_days=15)),
        ("extension_cap", "hotline", None, "normal", Limit(working_days=15)),
        ("callback", "hotline", "complaint", "normal", None),  # no such kind
    ],
)
def test_resolve_limit_default_table(kind, channel, request_type, urgency, expected):
    assert limit_for(request_type, kind=kind, channel=channel, urgency=urgency) == expected


def test_default_rows_are_well_formed():
    keys = {"kind", "channel", "request_type", "urgency", "working_days", "hours", "note"}
    for row in DEFAULT_POLICIES:
        assert set(row) == keys and row["note"]
        assert (row["working_days"] is None) != (row["hours"] is None)
    blank = [
        r
        for r in DEFAULT_POLICIES
        if r["kind"] == "handle" and not (r["channel"] or r["request_type"] or r["urgency"])
    ]
    assert len(blank) == 1 and blank[0]["working_days"] == 15  # the only catch-all


def test_scoring_urgency_outranks_type_and_channel_together():
    rows = [
        Policy("handle", channel="hotline", request_type="complaint", working_days=3),
        Policy("handle", urgency="urgent", hours=12),
    ]
    assert limit_for("complaint", urgency="urgent", policies=rows) == Limit(hours=12)
    assert limit_for("complaint", policies=rows) == Limit(working_days=3)


def test_inactive_and_empty_rows_are_skipped_and_ties_go_to_the_first():
    rows = [
        Policy("handle", request_type="complaint", working_days=1, active=False),
        Policy("handle", request_type="complaint"),  # no limit at all
        Policy("handle", request_type="complaint", working_days=7),
        Policy("handle", request_type="complaint", working_days=9),
        Policy("handle", working_days=30),
    ]
    assert limit_for("complaint", policies=rows) == Limit(working_days=7)
    assert limit_for("help", policies=rows) == Limit(working_days=30)
    assert limit_for("help", policies=rows[:4]) is None
    assert limit_for("help", policies=[]) is None
