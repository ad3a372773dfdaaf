from django.urls import reverse

from assessments.models import Cycle


def test_anonymous_is_sent_to_login(client, cast):
    assert client.get(reverse("assessments:cycle_list")).status_code == 302


def test_staff_may_not_manage_rounds(client, cast):
    client.force_login(cast.head.user)
    assert client.get(reverse("assessments:cycle_list")).status_code == 403
    assert (
        client.post(
            reverse("assessments:cycle_list"), {"fiscal_year": 2569, "round": 1}
        ).status_code
        == 403
    )
    assert not Cycle.objects.exists()


def test_hr_creates_opens_and_closes_a_round(client, cast):
    client.force_login(cast.hr)
    response = client.post(
        reverse("assessments:cycle_list"),
        {"fiscal_year": 2569, "round": 2, "competency_weight": "30"},
    )
    cycle = Cycle.objects.get(code="2569-2")
    assert response["Location"] == cycle.get_absolute_url()
    assert client.get(cycle.get_absolute_url()).status_code == 200
    client.post(reverse("assessments:cycle_open", args=[cycle.pk]))
    cycle.refresh_from_db()
    assert cycle.status == "open"
    assert cycle.assessments.count() == 6
    page = client.get(cycle.get_absolute_url()).content.decode()
    assert page.count('href="/assessments/') >= 6
    client.post(reverse("assessments:cycle_close", args=[cycle.pk]))
    cycle.refresh_from_db()
    assert cycle.status == "open"  # closing needs the confirmation box
    client.post(reverse("assessments:cycle_close", args=[cycle.pk]), {"confirm": "on"})
    cycle.refresh_from_db()
    assert cycle.status == "closed"
    client.post(reverse("assessments:cycle_reopen", args=[cycle.pk]))
    cycle.refresh_from_db()
    assert cycle.status == "open"


def test_a_duplicate_round_is_refused(client, round_open):
    client.force_login(round_open.hr)
    response = client.post(
        reverse("assessments:cycle_list"),
        {"fiscal_year": 2569, "round": 1, "competency_weight": "30"},
    )
    assert response.status_code == 200
    assert Cycle.objects.count() == 1


def test_hr_adds_people_who_joined_after_the_round_opened(client, round_open):
    from assessments.models import Employee

    newcomer = Employee.objects.create(
        employee_code="K0999",
        first_name="ใหม่",
        last_name="เข้างาน",
        position_title="-",
        position_class=round_open.malee.position_class,
        department=round_open.malee.department,
        supervisor=round_open.head,
    )
    client.force_login(round_open.hr)
    page = client.get(round_open.cycle.get_absolute_url()).content.decode()
    assert reverse("assessments:cycle_add_people", args=[round_open.cycle.pk]) in page
    client.post(reverse("assessments:cycle_add_people", args=[round_open.cycle.pk]))
    added = newcomer.assessments.get(cycle=round_open.cycle)
    assert added.supervisor == round_open.head
    assert round_open.cycle.assessments.count() == 7
    # a second click adds nobody twice
    client.post(reverse("assessments:cycle_add_people", args=[round_open.cycle.pk]))
    assert round_open.cycle.assessments.count() == 7


def test_staff_may_not_add_people_to_a_round(client, round_open):
    client.force_login(round_open.head.user)
    url = reverse("assessments:cycle_add_people", args=[round_open.cycle.pk])
    assert client.post(url).status_code == 403
