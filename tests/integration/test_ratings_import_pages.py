"""HR's page for importing paper ratings (hr/ratings/) and the blank CSV for one person."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentEvent, Rating, Role, Track
from framework.models import Indicator
from tests.conftest import assert_message
from tests.factories import values_up_to

HEADER = "employee_code,role,competency,level,indicator,value"


@pytest.fixture
def hr_browser(round_open):
    browser = Client()
    browser.force_login(round_open.hr)
    return browser


@pytest.fixture
def somchai_browser(round_open):
    browser = Client()
    browser.force_login(round_open.somchai.user)
    return browser


def upload(*lines):
    content = "\r\n".join([HEADER, *lines]).encode("utf-8-sig")
    return SimpleUploadedFile("ratings.csv", content, content_type="text/csv")


def page(response):
    return response.content.decode()


def blank_form(browser, assessment, **params):
    url = reverse("ratings_import:template", args=[assessment.pk])
    response = browser.get(url, params)
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def filled(rows, value="1"):
    """The blank form with every value keyed in."""
    return [",".join([*row[:5], value]) for row in rows[1:]]


def urls(cast):
    return [
        reverse("ratings_import:upload"),
        reverse("ratings_import:template", args=[cast.somchai_assessment.pk]),
    ]


# ---------------------------------------------------------------- who may


def test_anonymous_visitors_are_sent_to_login(client, round_open):
    for url in urls(round_open):
        response = client.get(url)

        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_staff_who_are_not_hr_are_refused(somchai_browser, round_open):
    for url in urls(round_open):
        assert somchai_browser.get(url).status_code == 403
    response = somchai_browser.post(urls(round_open)[0], {"file": upload("K0202,self,ACH,1,1,1")})
    assert response.status_code == 403
    assert not Rating.objects.exists()


def test_hr_opens_the_page_with_the_open_round_chosen(hr_browser, round_open):
    response = hr_browser.get(reverse("ratings_import:upload"))

    assert response.status_code == 200
    assert response.context["form"]["cycle"].value() == round_open.cycle.pk
    # The people of the round, each with a link to their blank form
    blank = reverse("ratings_import:template", args=[round_open.somchai_assessment.pk])
    assert blank in page(response)


# ---------------------------------------------------------------- preview, then confirm


def test_the_import_shows_a_preview_then_imports_on_confirmation(hr_browser, round_open):
    cast = round_open
    url = reverse("ratings_import:upload")
    lines = filled(blank_form(hr_browser, cast.somchai_assessment))

    preview = hr_browser.post(url, {"cycle": cast.cycle.pk, "file": upload(*lines)})

    assert preview.status_code == 200
    [row] = preview.context["report"].rows
    assert (row.employee_code, row.role, row.ratings, row.new) == ("K0202", "self", 66, 66)
    assert cast.somchai.full_name in page(preview)
    assert not Rating.objects.exists()  # not yet

    confirm = preview.context["confirm_form"]
    hidden = confirm.initial["upload_token"]
    assert f'value="{hidden}"' in page(preview)
    done = hr_browser.post(url, {"upload_token": hidden, "cycle": cast.cycle.pk, "submit": "False"})

    assert done.status_code == 302
    assert done.url == cast.cycle.get_absolute_url()
    assert Rating.objects.filter(assessment=cast.somchai_assessment, role=Role.SELF).count() == 66
    event = AssessmentEvent.objects.get(action=AssessmentEvent.Action.SAVED)
    assert event.actor == cast.hr
    cast.somchai_assessment.refresh_from_db()
    assert cast.somchai_assessment.self_state == Track.IN_PROGRESS


def test_the_submit_choice_is_carried_to_the_confirmation(hr_browser, round_open):
    cast = round_open
    url = reverse("ratings_import:upload")
    lines = filled(blank_form(hr_browser, cast.somchai_assessment))

    preview = hr_browser.post(url, {"cycle": cast.cycle.pk, "file": upload(*lines), "submit": "on"})
    assert preview.context["report"].rows[0].submitted
    data = {
        name: preview.context["confirm_form"][name].value() for name in ("upload_token", "cycle")
    }
    hr_browser.post(url, {**data, "submit": "True"})

    cast.somchai_assessment.refresh_from_db()
    assert cast.somchai_assessment.self_state == Track.SUBMITTED


def test_an_import_with_errors_lists_each_line_and_imports_nothing(hr_browser, round_open):
    file = upload("K0202,self,ACH,1,1,1", "K0202,self,ACH,1,2,9", "K9999,self,ACH,1,3,1")

    response = hr_browser.post(
        reverse("ratings_import:upload"), {"cycle": round_open.cycle.pk, "file": file}
    )

    assert response.status_code == 200
    errors = response.context["errors"]
    assert len(errors) == 2
    assert_message(errors[0], "แถวที่ ๓ คอลัมน์ value", "Line 3, column value")
    assert_message(errors[1], "แถวที่ ๔ คอลัมน์ employee_code", "Line 4, column employee_code")
    assert "K9999" in page(response)
    assert "confirm_form" not in response.context
    assert not Rating.objects.exists()


def test_the_confirmation_checks_the_file_again(hr_browser, round_open):
    cast = round_open
    url = reverse("ratings_import:upload")
    preview = hr_browser.post(url, {"cycle": cast.cycle.pk, "file": upload("K0202,self,ACH,1,1,1")})
    hidden = preview.context["confirm_form"].initial["upload_token"]
    # Meanwhile somchai submits his self-assessment
    assessment = cast.somchai_assessment
    values = values_up_to(assessment.cycle.framework, {"ACH": 1, "COM": 1, "SDEV": 1, "LOCAL": 1})
    services.save_ratings(assessment=assessment, role="self", by=cast.somchai.user, values=values)
    services.submit_track(assessment=assessment, role="self", by=cast.somchai.user)

    response = hr_browser.post(url, {"upload_token": hidden, "cycle": cast.cycle.pk})

    assert response.status_code == 200
    [error] = response.context["errors"]
    assert_message(error, "แถวที่ ๒", "Line 2")
    assert not Rating.objects.filter(rated_by=cast.hr).exists()


def test_another_round_may_be_chosen(hr_browser, round_open):
    cast = round_open
    services.close_cycle(cycle=cast.cycle, by=cast.hr)
    other = services.create_cycle(code="2569-2", fiscal_year=2569, round_number=2)
    services.open_cycle(cycle=other, by=cast.hr)
    url = reverse("ratings_import:upload")

    # The open round is the default; the closed one can still be chosen, and is refused
    assert hr_browser.get(url).context["form"]["cycle"].value() == other.pk
    response = hr_browser.post(
        url, {"cycle": cast.cycle.pk, "file": upload("K0202,self,ACH,1,1,1")}
    )

    [error] = response.context["errors"]
    assert "2569-1" in error
    assert not Rating.objects.exists()


def test_a_damaged_confirmation_imports_nothing(hr_browser, round_open):
    response = hr_browser.post(
        reverse("ratings_import:upload"),
        {"upload_token": "not a token!", "cycle": round_open.cycle.pk},
    )

    assert response.status_code == 200
    assert_message(page(response), "อัปโหลดใหม่", "Upload it again")
    assert not Rating.objects.exists()


# ---------------------------------------------------------------- the blank CSV


def test_the_blank_form_lists_every_indicator_with_an_empty_value(hr_browser, round_open):
    assessment = round_open.somchai_assessment
    response = hr_browser.get(reverse("ratings_import:template", args=[assessment.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "ratings-2569-1-K0202.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ",".join(rows[0]) == f"{HEADER},indicator_text"
    assert len(rows) == 1 + 66
    first = Indicator.objects.get(
        level__competency__framework=assessment.cycle.framework,
        level__competency__code="ACH",
        level__number=1,
        number=1,
    )
    assert rows[1] == ["K0202", "self", "ACH", "1", "1", "", " ".join(first.text.split())]
    assert all(row[6] for row in rows[1:])  # every indicator has its words
    assert {row[1] for row in rows[1:]} == {"self"}
    assert {row[5] for row in rows[1:]} == {""}
    assert {row[2] for row in rows[1:]} == {"ACH", "COM", "SDEV", "LOCAL"}


def test_the_blank_form_of_an_unknown_assessment_is_not_found(hr_browser, round_open):
    response = hr_browser.get(reverse("ratings_import:template", args=[999999]))

    assert response.status_code == 404


def test_the_blank_form_for_the_supervisor_has_the_role_on_every_line(hr_browser, round_open):
    assessment = round_open.somchai_assessment
    url = reverse("ratings_import:template", args=[assessment.pk])

    response = hr_browser.get(url, {"role": "supervisor"})

    assert response.status_code == 200
    assert "ratings-2569-1-K0202-supervisor.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 66
    assert {row[1] for row in rows[1:]} == {"supervisor"}
    # self, asked for by name, is the form of before
    rows = blank_form(hr_browser, assessment, role="self")
    assert {row[1] for row in rows[1:]} == {"self"}


def test_a_role_that_is_not_one_is_refused(hr_browser, round_open):
    url = reverse("ratings_import:template", args=[round_open.somchai_assessment.pk])

    for role in ("boss", "SUPERVISOR", "self "):
        response = hr_browser.get(url, {"role": role})
        assert response.status_code == 400, role


def test_the_page_offers_the_blank_forms_for_the_role_chosen(hr_browser, round_open):
    url = reverse("ratings_import:upload")
    blank = reverse("ratings_import:template", args=[round_open.somchai_assessment.pk])

    default = hr_browser.get(url)
    chosen = hr_browser.get(url, {"cycle": round_open.cycle.pk, "role": "supervisor"})

    assert f"{blank}?role=self" in page(default)
    assert f"{blank}?role=supervisor" in page(chosen)
    assert 'name="role"' in page(chosen)
    assert chosen.context["round_form"]["role"].value() == "supervisor"


def test_the_supervisor_form_filled_in_with_its_words_imports(hr_browser, round_open):
    cast = round_open
    url = reverse("ratings_import:upload")
    rows = blank_form(hr_browser, cast.somchai_assessment, role="supervisor")
    # keyed in as it was downloaded: every column kept, the words too
    lines = [",".join(f'"{cell}"' for cell in [*row[:5], "1", row[6]]) for row in rows[1:]]
    content = "\r\n".join([",".join(rows[0]), *lines]).encode("utf-8-sig")
    file = SimpleUploadedFile("ratings.csv", content, content_type="text/csv")

    preview = hr_browser.post(url, {"cycle": cast.cycle.pk, "file": file})

    [row] = preview.context["report"].rows
    assert (row.role, row.ratings, row.new) == ("supervisor", 66, 66)
    token = preview.context["confirm_form"].initial["upload_token"]
    hr_browser.post(url, {"upload_token": token, "cycle": cast.cycle.pk, "submit": "False"})
    saved = Rating.objects.filter(assessment=cast.somchai_assessment, role=Role.SUPERVISOR)
    assert saved.count() == 66


def test_the_preview_lists_the_values_the_file_changes(hr_browser, round_open):
    cast = round_open
    url = reverse("ratings_import:upload")
    services.save_ratings(
        assessment=cast.somchai_assessment,
        role="self",
        by=cast.somchai.user,
        values=dict.fromkeys(
            Indicator.objects.filter(
                level__competency__framework=cast.cycle.framework,
                level__competency__code="COM",
                level__number=2,
            ).values_list("pk", flat=True),
            1,
        ),
    )

    preview = hr_browser.post(
        url,
        {"cycle": cast.cycle.pk, "file": upload("K0202,self,COM,2,1,0", "K0202,self,COM,2,2,1")},
    )

    [row] = preview.context["report"].rows
    assert (row.changed, row.same) == (1, 1)
    html = page(preview)
    assert 'class="mb-2 changed-values" data-employee="K0202" data-role="self"' in html
    assert "COM 2.1" in html
    assert "COM 2.2" not in html  # unchanged: counted, not listed
    assert "ไม่แสดงพฤติกรรม" in html
