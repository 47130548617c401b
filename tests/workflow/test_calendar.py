from datetime import date, datetime

import chinese_calendar
import pytest

from responder.workflow import calendar as calendar_module
from responder.workflow.calendar import WorkCalendar, library_years


def test_library_data_for_2026_national_day_is_what_we_assert_on():
    # The official 2026 schedule: 10月1日至7日放假调休，共7天；9月20日（周日）、10月10日（周六）上班.
    for day in range(1, 8):
        assert not chinese_calendar.is_workday(date(2026, 10, day))
    assert chinese_calendar.is_workday(date(2026, 9, 20))  # Sunday
    assert chinese_calendar.is_workday(date(2026, 10, 10))  # Saturday
    assert 2026 in library_years() and 2027 not in library_years()


def test_holidays_and_make_up_days():
    cal = WorkCalendar()
    assert cal.is_workday(date(2026, 9, 30))
    assert not any(cal.is_workday(date(2026, 10, d)) for d in range(1, 8))
    assert cal.is_workday(date(2026, 10, 10)) and date(2026, 10, 10).weekday() == 5
    assert cal.is_workday(date(2026, 9, 20)) and date(2026, 9, 20).weekday() == 6
    assert not cal.is_workday(date(2026, 10, 11))  # an ordinary Sunday


def test_make_up_saturday_counts_as_a_working_day():
    cal = WorkCalendar()
    assert cal.add_working_days(date(2026, 9, 30), 2) == (date(2026, 10, 9), False)
    assert cal.add_working_days(date(2026, 9, 30), 3) == (date(2026, 10, 10), False)
    assert cal.working_days_between(date(2026, 10, 9), date(2026, 10, 11)) == 1


def test_start_day_never_counts():
    cal = WorkCalendar()
    assert cal.add_working_days(date(2026, 10, 8), 1) == (date(2026, 10, 9), False)
    assert cal.add_working_days(date(2026, 10, 8), 0) == (date(2026, 10, 8), False)
    with pytest.raises(ValueError):
        cal.add_working_days(date(2026, 10, 8), -1)


def test_accepts_datetimes_as_their_date():
    cal = WorkCalendar({date(2026, 10, 12): False})
    assert not cal.is_workday(datetime(2026, 10, 12, 9, 30))
    assert cal.add_working_days(datetime(2026, 10, 9, 18, 0), 2) == (date(2026, 10, 13), False)


def test_unknown_year_falls_back_to_weekdays_and_is_provisional():
    cal = WorkCalendar()
    assert not cal.knows(2027)
    assert cal.is_workday(date(2027, 1, 1))  # a Friday; the real schedule will likely say otherwise
    assert not cal.is_workday(date(2027, 1, 2))
    assert cal.add_working_days(date(2026, 12, 28), 3) == (date(2026, 12, 31), False)
    assert cal.add_working_days(date(2026, 12, 28), 4) == (date(2027, 1, 1), True)
    assert cal.add_working_days(date(2026, 12, 28), 15) == (date(2027, 1, 18), True)


@pytest.mark.parametrize(
    "start", [date(1950, 1, 1), date(2003, 12, 30), date(2099, 12, 30), date(2500, 6, 1)]
)
def test_never_raises_outside_the_library_range(start):
    day, provisional = WorkCalendar().add_working_days(start, 20)
    assert provisional and day > start


def test_admin_overrides_win_and_make_a_year_known():
    cal = WorkCalendar({date(2027, 1, 1): False, date(2026, 10, 10): False, date(2026, 10, 5): True})
    assert cal.knows(2027) and cal.knows(2026) and not cal.knows(2028)
    assert not cal.is_workday(date(2027, 1, 1))
    assert not cal.is_workday(date(2026, 10, 10))
    assert cal.is_workday(date(2026, 10, 5))
    assert cal.add_working_days(date(2026, 12, 28), 15) == (date(2027, 1, 19), False)


def test_knows():
    cal = WorkCalendar()
    assert cal.knows(2004) and cal.knows(2026)
    assert not cal.knows(2003) and not cal.knows(2027)


def test_working_days_between():
    cal = WorkCalendar()
    assert cal.working_days_between(date(2026, 9, 30), date(2026, 10, 27)) == 15
    assert cal.working_days_between(date(2026, 9, 30), date(2026, 10, 7)) == 0
    assert cal.working_days_between(date(2026, 10, 9), date(2026, 10, 9)) == 0
    assert cal.working_days_between(date(2026, 10, 27), date(2026, 9, 30)) == 0


def test_between_inverts_add():
    cal = WorkCalendar({date(2027, 1, 1): False})
    for offset in range(0, 120, 7):
        start = date(2026, 9, 1).fromordinal(date(2026, 9, 1).toordinal() + offset)
        for n in (1, 2, 5, 15, 20):
            end, _ = cal.add_working_days(start, n)
            assert cal.working_days_between(start, end) == n
            assert cal.is_workday(end)


def test_is_workday_is_cached_per_instance(monkeypatch):
    calls = []
    real = chinese_calendar.is_workday
    library_years()  # the range probe is a one-off; count only day lookups

    def counting(d):
        calls.append(d)
        return real(d)

    monkeypatch.setattr(calendar_module.chinese_calendar, "is_workday", counting)
    cal = WorkCalendar()
    for _ in range(3):
        cal.add_working_days(date(2026, 9, 30), 15)
    assert len(calls) == len(set(calls)) == 27  # Oct 1..27, each asked once
