"""What the rating pages tell as one rates (issue 12, points 3 and 4): the employee's evidence
at the top of each competency on the supervisor's page, rows where the two ratings differ
marked in words, the level each set of ratings gives, and a wrong field marked at the field."""

import re

from django.urls import reverse

from assessments import services
from assessments.models import Role
from tests.factories import values_up_to

# Levels reached (by the rules: cumulative, every indicator of a level demonstrated)
SELF_REACHED = {"ACH": 3, "COM": 1, "SDEV": 2, "LOCAL": 1}


def rate_page(client, assessment):
    return client.get(reverse("assessments:rate", args=[assessment.pk])).content.decode()


def test_the_supervisor_sees_evidence_first_differences_and_levels(client, round_open):
    assessment = round_open.somchai_assessment
    framework = assessment.cycle.framework
    ach = framework.competencies.get(code="ACH")
    services.save_ratings(
        assessment=assessment,
        role=Role.SELF,
        by=round_open.somchai.user,
        values=values_up_to(framework, SELF_REACHED),
        comments={ach.pk: "ปิดงานครบทุกโครงการ"},
    )
    # The supervisor sees ACH level 1 only: every ACH row of levels 2-3 differs from the self-rating
    supervisor_values = values_up_to(framework, {"ACH": 1, "COM": 1, "SDEV": 2, "LOCAL": 1})
    services.save_ratings(
        assessment=assessment,
        role=Role.SUPERVISOR,
        by=round_open.head.user,
        values=supervisor_values,
    )
    client.force_login(round_open.head.user)

    html = rate_page(client, assessment)

    ach_block = html[html.index('id="ACH"') : html.index('id="COM"')]
    evidence_at = ach_block.index("ปิดงานครบทุกโครงการ")
    assert evidence_at < ach_block.index('class="rating-row')  # before the first indicator
    ach_level_2 = framework.competencies.get(code="ACH").levels.get(number=2).indicators.count()
    ach_level_3 = framework.competencies.get(code="ACH").levels.get(number=3).indicators.count()
    assert ach_block.count("rating-row differs") == ach_level_2 + ach_level_3
    assert html.count("rating-row differs") == ach_level_2 + ach_level_3
    assert "ต่างจากที่ประเมินตนเอง" in ach_block
    # Levels: the supervisor's ACH 1, the employee's own ACH 3 (all 66 rated on both tracks)
    level_line = re.search(r'class="block-level[^>]*data-code="ACH"[^>]*>([^<]*)<', html)
    assert level_line.group(1) == "ระดับที่ได้: ๑ · ประเมินตนเอง: ๓"


def test_the_level_waits_until_the_competency_is_rated_through(client, round_open):
    assessment = round_open.somchai_assessment
    client.force_login(round_open.somchai.user)
    html = client.get(reverse("assessments:self", args=[assessment.pk])).content.decode()
    assert html.count("ระดับที่ได้: แสดงเมื่อประเมินครบทุกข้อ") == 4


def test_a_wrong_work_result_is_marked_at_its_field(client, round_open):
    assessment = round_open.somchai_assessment
    client.force_login(round_open.head.user)
    url = reverse("assessments:rate", args=[assessment.pk])
    response = client.post(
        url, {"version": assessment.supervisor_version, "work_results": "150", "action": "save"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    field = re.search(r'<input type="number"[^>]*id="work_results"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and "autofocus" in field
    assert 'aria-describedby="work_results-error"' in field
    error = re.search(r'id="work_results-error"[^>]*>([^<]*)<', html).group(1)
    assert "0 ถึง 100" in error or "๐ ถึง ๑๐๐" in error
    assert 'href="#work_results"' in html  # the summary at the top leads to the field
