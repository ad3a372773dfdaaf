"""The round dashboard: counts, who still has to act, filters, reminders once a day."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, Employee, Reminder, Role
from tests.factories import rate

URL = reverse("assessments:dashboard")


def with_emails(cast):
    for key in ("palad", "head", "somchai", "malee", "other_head", "outsider"):
        person = getattr(cast, key)
        person.email = f"{key}@example.org"
        person.save()


def test_anonymous_is_sent_to_login(client, round_open):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_staff_may_not_see_the_dashboard(client, round_open):
    client.force_login(round_open.head.user)
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403


def test_counts_and_who_must_act(client, round_open):
    cast = round_open
    rate(cast.somchai_assessment, Role.SELF, cast.somchai.user, 1)
    rate(cast.somchai_assessment, Role.SUPERVISOR, cast.head.user, 1)
    client.force_login(cast.hr)
    data = client.get(URL).context["data"]
    assert data.total == 6
    assert {code: count for code, _label, count in data.stages}["rated"] == 1
    departments = {name: total for name, _counts, total in data.departments}
    assert departments == {"กองคลัง": 3, "สำนักปลัด": 1, "กองช่าง": 2}
    somchai = [row for row in data.to_act if row.assessment.employee == cast.somchai]
    assert [(row.step, row.actor) for row in somchai] == [("acknowledge", cast.somchai)]
    malee = [row for row in data.to_act if row.assessment.employee == cast.malee]
    assert [(row.step, row.actor) for row in malee] == [
        ("self", cast.malee),
        ("supervisor", cast.head),
    ]
    palad = [row for row in data.to_act if row.assessment.employee == cast.palad]
    assert ("supervisor", None) in [(row.step, row.actor) for row in palad]  # nobody rates the top


def test_filter_and_sort(client, round_open):
    client.force_login(round_open.hr)
    data = client.get(URL, {"department": "กองช่าง", "step": "self", "sort": "name"}).context["data"]
    names = [row.assessment.employee.first_name for row in data.to_act]
    assert names == sorted(names) and set(names) == {"วีระ", "ชาญชัย"}
    assert {row.step for row in data.to_act} == {"self"}


def test_reminders_go_once_a_day_to_each_person(
    client, round_open, mailoutbox, django_capture_on_commit_callbacks
):
    cast = round_open
    with_emails(cast)
    cast.outsider.email = ""
    cast.outsider.save()
    client.force_login(cast.hr)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL + "?department=กองคลัง")
    # somchai and malee (their own steps), head (own self + two ratings) and palad, who rates
    # the head: one email each
    assert sorted(m.to[0] for m in mailoutbox) == [
        "head@example.org",
        "malee@example.org",
        "palad@example.org",
        "somchai@example.org",
    ]
    head_mail = next(m for m in mailoutbox if m.to == ["head@example.org"])
    assert "สมชาย" in head_mail.body and "มาลี" in head_mail.body
    assert "๒๕๖๙-๑" in head_mail.subject
    # the filter chose the people; each mail still lists all their steps in the round
    palad_mail = next(m for m in mailoutbox if m.to == ["palad@example.org"])
    assert "วีระ" in palad_mail.body  # other_head, in กองช่าง, whom palad rates
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL + "?department=กองคลัง", follow=True)
    assert len(mailoutbox) == 4  # nothing twice in one day
    assert "ไม่ส่งซ้ำ" in response.content.decode() or "Already reminded" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL + "?department=กองช่าง")
    assert "outsider@example.org" not in [m.to[0] for m in mailoutbox]
    assert not Reminder.objects.filter(employee=cast.outsider).exists()


def add_people(cast, count, prefix):
    """`count` more people in malee's division, rated by head, each with an assessment."""
    for n in range(count):
        person = Employee.objects.create(
            employee_code=f"{prefix}{n:02d}",
            first_name=f"คน{n:02d}",
            last_name="เพิ่ม",
            position_title="-",
            position_class=cast.malee.position_class,
            department=cast.malee.department,
            supervisor=cast.head,
        )
        Assessment.objects.create(
            cycle=cast.cycle,
            employee=person,
            supervisor=cast.head,
            position_class=person.position_class,
            department_name="กองคลัง",
            expected_levels={},
        )


def test_queries_do_not_grow_with_the_people(client, round_open):
    client.force_login(round_open.hr)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    add_people(round_open, 15, "Q")
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL)
    assert len(large) == len(small)
    assert len(response.context["data"].to_act) >= 30


def test_long_lists_come_in_pages_that_keep_the_filters(client, round_open):
    add_people(round_open, 60, "P")
    client.force_login(round_open.hr)
    first = client.get(URL + "?department=กองคลัง")
    page = first.content.decode()
    assert page.count("<tr data-employee=") == 50  # 63 people in กองคลัง: 50, then 13
    assert "results_page=2" in page and "department=%E0%B8%81" in page  # the filter is kept
    second = client.get(URL + "?department=กองคลัง&results_page=2").content.decode()
    assert second.count("<tr data-employee=") == 13
    assert "หน้า ๒ จาก ๒" in second


def test_a_round_number_that_is_not_plain_digits_is_the_default_round_not_a_500(client, round_open):
    client.force_login(round_open.hr)
    assert client.get(URL + "?cycle=²").status_code == 200


def test_each_sort_orders_the_steps_by_its_rule_and_pages_read_the_same_rows(round_open):
    """The steps are sorted and paged as tuples and made rows a page at a time: whatever the
    sort, the rows a page reads are those of the whole list at the same places."""
    from assessments.selectors.dashboard import dashboard

    cast = round_open
    add_people(cast, 12, "S")
    rate(cast.somchai_assessment, Role.SELF, cast.somchai.user, 1)
    rate(cast.somchai_assessment, Role.SUPERVISOR, cast.head.user, 1)
    rules = {
        "name": lambda row: (row.assessment.employee.first_name, row.assessment.employee.last_name),
        "department": lambda row: (
            row.assessment.department_name,
            row.assessment.employee.first_name,
        ),
        "step": lambda row: (row.step, row.assessment.department_name),
        "actor": lambda row: (row.actor.first_name if row.actor else "", row.step),
    }
    for sort, key in rules.items():
        steps = dashboard(cast.cycle, sort=sort).to_act
        rows = list(steps)
        assert len(rows) == len(steps) == 2 * 12 + 2 * 5 + 1  # the 12 new: self and rater
        assert [key(row) for row in rows] == sorted(key(row) for row in rows), sort
        page = steps[10:20]
        assert [(r.assessment.pk, r.step, r.actor) for r in page] == [
            (r.assessment.pk, r.step, r.actor) for r in rows[10:20]
        ]
        assert steps[-1].assessment.pk == rows[-1].assessment.pk
