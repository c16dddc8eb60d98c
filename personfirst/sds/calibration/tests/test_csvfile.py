"""Reading calibration files: every bad row by line, with the column and the problem."""

from __future__ import annotations

from decimal import Decimal

import pytest

from personfirst.sds.calibration import csvfile

HEADER = "points,weekly_cost,age_band,client_group,carer_present\n"


def test_a_good_file_gives_every_row_as_decimal_money():
    result = csvfile.parse(HEADER + "24,228.00,65-74,physical,yes\n0,0,18-24,Social,NO\n")
    assert result.problems == [] and not result.refused
    first, second = result.rows
    assert (first.line, first.points, first.weekly_cost, first.age_band, first.client_group, first.carer_present) == (
        2,
        24,
        Decimal("228.00"),
        "65-74",
        "physical",
        True,
    )
    assert isinstance(first.weekly_cost, Decimal)
    assert (second.client_group, second.carer_present, second.weekly_cost) == ("social", False, Decimal("0.00"))


def test_bad_rows_are_reported_by_line_and_column_and_the_good_ones_kept():
    text = (
        HEADER
        + "10,95.00,25-64,physical,yes\n"  # line 2: good
        + "x,95.00,25-64,physical,yes\n"  # 3
        + "-4,95.00,25-64,physical,yes\n"  # 4
        + "10,-1.00,25-64,physical,yes\n"  # 5
        + "10,abc,25-64,physical,yes\n"  # 6
        + "10,1.005,25-64,physical,yes\n"  # 7
        + "10,95,90+,physical,yes\n"  # 8
        + "10,95,25-64,elderly,yes\n"  # 9
        + "10,95,25-64,physical,maybe\n"  # 10
        + "10,95,25-64\n"  # 11
        + "\n"  # 12: blank, skipped
        + ",,25-64,physical,\n"  # 13
        + "12.5,95,65-74,sensory,no\n"  # 14
        + "30,300.5,85+,mental-health,no\n"  # 15: good
    )
    result = csvfile.parse(text)
    assert result.messages == [
        'line 3: column points: "x" is not a whole number',
        'line 4: column points: "-4" is below 0',
        'line 5: column weekly_cost: "-1.00" is below £0',
        'line 6: column weekly_cost: "abc" is not an amount in pounds, like 245.50',
        'line 7: column weekly_cost: "1.005" has more than 2 decimal places',
        'line 8: column age_band: "90+" is not an age band (use one of 18-24, 25-64, 65-74, 75-84, 85+)',
        'line 9: column client_group: "elderly" is not a client group (use one of physical, sensory, '
        "memory-cognition, learning-disability, mental-health, social)",
        'line 10: column carer_present: "maybe" is not yes or no',
        "line 11: has 3 values where the header has 5 columns",
        "line 13: column points: is empty",
        "line 13: column weekly_cost: is empty",
        "line 13: column carer_present: is empty",
        'line 14: column points: "12.5" is not a whole number',
    ]
    assert [row.line for row in result.rows] == [2, 15]
    assert result.rows[1].weekly_cost == Decimal("300.50")
    assert result.bad_lines == 11 and not result.refused


@pytest.mark.parametrize(
    ("header", "messages"),
    [
        (
            "points,weekly_cost,age_band,client_group\n",
            ["line 1: column carer_present: missing"],
        ),
        (
            "points,weekly_cost,age_band,client_group,carer_present,colour\n",
            ["line 1: column colour: not a column of a calibration file"],
        ),
        (
            "points,weekly_cost,weekly_cost,age_band,client_group,carer_present\n",
            ["line 1: column weekly_cost: given twice"],
        ),
        (
            "weekly_cost,age_band,client_group,carer_present\n",
            ["line 1: column points: missing (give points, or points per domain as points_<domain>)"],
        ),
        (
            "points,points_washing,weekly_cost,age_band,client_group,carer_present\n",
            ["line 1: column points: give either points or points per domain (points_...), not both"],
        ),
        ("\n", ["line 1: the file is empty: the first line must name the columns"]),
    ],
)
def test_a_bad_header_refuses_the_whole_file(header, messages):
    result = csvfile.parse(header + "10,95,25-64,physical,yes,extra\n")
    assert result.messages == messages
    assert result.refused and result.rows == []


def test_points_per_domain_are_added_up_and_kept():
    text = (
        "points_personal-care,points_eating,weekly_cost,age_band,client_group,carer_present\n6,4,95,25-64,physical,no\n"
    )
    (row,) = csvfile.parse(text).rows
    assert row.points == 10 and row.domain_points == {"personal-care": 6, "eating": 4}
    bad = csvfile.parse(text.replace("6,4", "6,-1"))
    assert bad.messages == ['line 2: column points_eating: "-1" is below 0']


def test_header_names_are_read_without_regard_to_case_or_spaces_and_a_byte_order_mark_is_dropped():
    data = "\ufeff Points , Weekly_Cost,AGE_BAND,client_group,carer_present\r\n5,50,85+,social,yes\r\n".encode()
    result = csvfile.parse(csvfile.decode(data))
    assert result.problems == [] and len(result.rows) == 1


def test_text_that_is_not_utf8_is_refused():
    assert csvfile.decode(b"points\xff") is None
    assert csvfile.not_text().messages == [
        "line 1: the file is not UTF-8 text: save it as CSV UTF-8 and upload it again"
    ]


def test_too_many_rows_refuse_the_file(monkeypatch):
    monkeypatch.setattr(csvfile, "MAX_ROWS", 2)
    result = csvfile.parse(HEADER + "1,1,25-64,social,no\n" * 3)
    assert result.refused
    assert result.messages == ["line 4: the file has more than 2 packages: split it"]


def test_line_numbers_follow_the_file_through_quoted_line_breaks():
    text = HEADER + '1,1,25-64,social,no\n"2\n",1,25-64,social,no\n3,x,25-64,social,no\n'
    assert csvfile.parse(text).messages[-1] == 'line 5: column weekly_cost: "x" is not an amount in pounds, like 245.50'
