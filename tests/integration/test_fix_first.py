"""Issue 9 "Fix first": a round opened by a command, an inactive rater, one open round in the
database, the organisation of a pinned framework version."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, AssessmentEvent, Cycle, Employee
from assessments.services.people import deactivate_employee
from framework import exchange
from framework.models import Framework

SYSTEM_TH = "ระบบ (คำสั่งหรืองานเบื้องหลัง)"


def open_round_by_command():
    call_command(
        "open_cycle", "--code", "2569-1", "--fiscal-year", "2569", "--round", "1", stdout=StringIO()
    )


def test_every_page_of_a_round_opened_by_the_command_opens_and_names_the_system(
    client, hr_client, cast
):
    open_round_by_command()
    assessment = Assessment.objects.get(employee=cast.somchai)
    assert assessment.events.get().actor is None
    results = reverse("assessments:results", args=[assessment.pk])
    pages = [
        results,
        reverse("assessments:pdf", args=[assessment.pk]),
        reverse("assessments:annual_pdf", args=[assessment.pk]),
        reverse("analytics:person", args=[cast.somchai.pk]),
    ]
    client.force_login(cast.somchai.user)
    for url in [*pages, reverse("assessments:self", args=[assessment.pk])]:
        assert client.get(url).status_code == 200, url
    assert SYSTEM_TH in client.get(results).content.decode()
    for url in pages:
        assert hr_client.get(url).status_code == 200, url
    assert SYSTEM_TH in hr_client.get(results).content.decode()
    client.force_login(cast.head.user)
    assert client.get(reverse("assessments:rate", args=[assessment.pk])).status_code == 200
    assert client.get(results).status_code == 200


def test_the_editor_page_of_a_version_imported_by_the_command_names_the_system(
    hr_client, seed_framework, tmp_path
):
    source = tmp_path / "framework.json"
    source.write_text(exchange.export_json(seed_framework), encoding="utf-8")
    call_command("import_framework", str(source), stdout=StringIO())

    response = hr_client.get(reverse("framework:version", args=[2]))

    assert response.status_code == 200
    assert SYSTEM_TH in response.content.decode()


def rater_state(assessment):
    assessment.refresh_from_db()
    changes = assessment.events.filter(action=AssessmentEvent.Action.RATER_CHANGED).count()
    return assessment.supervisor_id, assessment.reviewer_id, assessment.version, changes


def test_a_rater_deactivated_after_being_chosen_is_refused_and_nothing_changes(round_open):
    cast = round_open
    chosen = Employee.objects.get(pk=cast.outsider.pk)  # offered on the page while active
    deactivate_employee(employee=Employee.objects.get(pk=cast.outsider.pk), by=cast.hr)
    assessment = cast.somchai_assessment
    before = rater_state(assessment)

    with pytest.raises(ValidationError) as caught:
        services.change_rater(assessment=assessment, by=cast.hr, supervisor=chosen)

    assert caught.value.messages == ["นายชาญชัย ทดสอบ ถูกปิดการใช้งานแล้ว จึงเป็นผู้บังคับบัญชาไม่ได้"]
    assert rater_state(assessment) == before == (cast.head.pk, cast.palad.pk, 1, 0)


def test_a_new_rater_whose_own_supervisor_is_inactive_brings_no_reviewer(round_open):
    cast = round_open
    # Data from before deactivation was checked: an active person under an inactive one.
    Employee.objects.filter(pk=cast.other_head.pk).update(active=False)
    assessment = cast.somchai_assessment

    services.change_rater(assessment=assessment, by=cast.hr, supervisor=cast.outsider)

    assert rater_state(assessment) == (cast.outsider.pk, None, 2, 1)


def test_a_rater_of_an_open_round_cannot_be_deactivated_until_the_rater_is_changed(round_open):
    cast = round_open
    # somchai and malee now report to another head; their assessments keep head as the rater.
    Employee.objects.filter(pk__in=[cast.somchai.pk, cast.malee.pk]).update(
        supervisor=cast.other_head
    )
    head = Employee.objects.get(pk=cast.head.pk)

    with pytest.raises(ValidationError) as caught:
        deactivate_employee(employee=head, by=cast.hr)

    assert caught.value.messages == [
        "นายรัตนา ทดสอบ ยังเป็นผู้ประเมินของ นายมาลี ทดสอบ (K0203), นายสมชาย ทดสอบ (K0202) "
        "ในรอบการประเมินที่เปิดอยู่ กรุณาเปลี่ยนผู้ประเมินของแบบประเมินเหล่านั้นก่อน "
        "แล้วจึงปิดการใช้งาน"
    ]
    head.refresh_from_db()
    assert head.active and head.user.is_active
    for assessment in (cast.somchai_assessment, cast.malee_assessment):
        services.change_rater(assessment=assessment, by=cast.hr, supervisor=cast.other_head)
    deactivate_employee(employee=head, by=cast.hr)
    head.refresh_from_db()
    assert not head.active


ANOTHER_ROUND_OPEN = "มีรอบการประเมินอื่นเปิดอยู่ โปรดปิดรอบนั้นก่อน"


def test_the_database_refuses_a_second_open_round_written_directly(round_open):
    first = round_open.cycle
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.create(
            code="2569-2",
            fiscal_year=2569,
            round=2,
            start_date=datetime.date(2026, 4, 1),
            end_date=datetime.date(2026, 9, 30),
            framework=first.framework,
            status="open",
        )
    services.close_cycle(cycle=first, by=round_open.hr)
    second = services.create_cycle(code="2569-2", fiscal_year=2569, round_number=2)
    services.open_cycle(cycle=second, by=round_open.hr)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.filter(pk=first.pk).update(status="open")
    assert list(Cycle.objects.filter(status="open").values_list("code", flat=True)) == ["2569-2"]


class OpenedMeanwhile:
    """A second HR officer: once a service has checked that no round is open, and just before
    it writes its own round as open, another round is opened."""

    def __init__(self, other):
        self.other, self.done = other, False

    def __call__(self, execute, sql, params, many, context):
        if not self.done and sql.startswith('UPDATE "assessments_cycle"') and "open" in params:
            self.done = True
            Cycle.objects.filter(pk=self.other.pk).update(status="open")
        return execute(sql, params, many, context)


def test_opening_a_round_while_another_is_opened_gives_the_thai_message(round_open):
    cast = round_open
    services.close_cycle(cycle=cast.cycle, by=cast.hr)
    second = services.create_cycle(code="2569-2", fiscal_year=2569, round_number=2)
    meanwhile = OpenedMeanwhile(cast.cycle)

    with pytest.raises(ValidationError) as caught, connection.execute_wrapper(meanwhile):
        services.open_cycle(cycle=second, by=cast.hr)

    assert meanwhile.done
    assert caught.value.messages == [ANOTHER_ROUND_OPEN]
    second.refresh_from_db()
    assert (second.status, second.framework, second.assessments.count()) == ("draft", None, 0)


def test_reopening_a_round_while_another_is_opened_gives_the_thai_message(round_open):
    cast = round_open
    services.close_cycle(cycle=cast.cycle, by=cast.hr)
    second = services.create_cycle(code="2569-2", fiscal_year=2569, round_number=2)
    services.open_cycle(cycle=second, by=cast.hr)
    services.close_cycle(cycle=second, by=cast.hr)
    meanwhile = OpenedMeanwhile(second)

    with pytest.raises(ValidationError) as caught, connection.execute_wrapper(meanwhile):
        services.reopen_cycle(cycle=cast.cycle, by=cast.hr)

    assert meanwhile.done
    assert caught.value.messages == [ANOTHER_ROUND_OPEN]
    assert set(Cycle.objects.values_list("code", "status")) == {
        ("2569-1", "closed"),
        ("2569-2", "closed"),
    }


def framework_of_another_organisation(version, status="published"):
    # "A…" sorts before the Thai name of this installation's organisation.
    return Framework.objects.create(
        organisation="A Neighbouring Office", version=version, name="อื่น", status=status
    )


def test_a_version_number_is_pinned_from_this_installations_organisation(cast, seed_framework):
    framework_of_another_organisation(1)

    assert services.framework_to_pin(1) == seed_framework
    call_command(
        "open_cycle",
        *("--code", "2569-1", "--fiscal-year", "2569", "--round", "1"),
        *("--framework-version", "1"),
        stdout=StringIO(),
    )
    cycle = Cycle.objects.get(code="2569-1")
    assert cycle.framework == seed_framework
    assert cycle.assessments.count() == 6


def test_a_version_only_another_organisation_has_is_refused_in_thai(cast, seed_framework):
    other = framework_of_another_organisation(5)

    with pytest.raises(ValidationError) as caught:
        services.framework_to_pin(5)
    assert caught.value.messages == ["ไม่มีกรอบสมรรถนะฉบับที่ 5"]
    assert services.framework_to_pin(5, organisation=other.organisation) == other
    with pytest.raises(CommandError, match="ไม่มีกรอบสมรรถนะฉบับที่ 5"):
        call_command(
            "open_cycle",
            *("--code", "2569-1", "--fiscal-year", "2569", "--round", "1"),
            *("--framework-version", "5"),
            stdout=StringIO(),
        )
    assert not Cycle.objects.exists()
