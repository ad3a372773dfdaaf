"""HR's page for importing performance agreements (hr/ratings/agreements/): upload, preview
with the work results each agreement gives, confirm; all or nothing; HR only."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment, Cycle, WorkIndicator
from tests.conftest import assert_message

HEADER = (
    "employee_code,indicator,unit,weight,target_1,target_2,target_3,target_4,target_5,"
    "achieved_level"
)
GOOD = [  # (5 × 50 + 3 × 50) ÷ 500 × 100 = 80.00
    "K0202,ร้อยละของฎีกาที่ตรวจเสร็จ,ร้อยละ,50,50,60,70,80,90,5",
    "K0202,จำนวนรายงานที่ส่งตรงเวลา,ฉบับ,50,1,2,3,4,5,3",
]


def upload(*lines):
    content = "\r\n".join([HEADER, *lines]).encode("utf-8-sig")
    return SimpleUploadedFile("agreements.csv", content, content_type="text/csv")


@pytest.fixture
def hr_browser(round_open):
    Cycle.objects.filter(pk=round_open.cycle.pk).update(work_results_method="indicators")
    browser = Client()
    browser.force_login(round_open.hr)
    return browser


def url():
    return reverse("ratings_import:agreements")


def test_staff_who_are_not_hr_are_refused(client, round_open):
    client.force_login(round_open.somchai.user)
    assert client.get(url()).status_code == 403
    data = {"cycle": round_open.cycle.pk, "file": upload(*GOOD)}
    assert client.post(url(), data).status_code == 403
    assert not WorkIndicator.objects.exists()


def test_hr_previews_then_confirms_and_the_work_results_follow(hr_browser, round_open):
    cast = round_open
    preview = hr_browser.post(url(), {"cycle": cast.cycle.pk, "file": upload(*GOOD)})
    text = preview.content.decode()
    assert "๘๐.๐๐" in text  # the work results the agreement gives, before anything is written
    assert not WorkIndicator.objects.exists()

    token = preview.context["confirm_form"].initial["upload_token"]
    done = hr_browser.post(url(), {"upload_token": token, "cycle": cast.cycle.pk}, follow=True)
    assert done.redirect_chain[-1][0] == cast.cycle.get_absolute_url()
    assert "นำเข้าข้อตกลงการปฏิบัติงาน" in done.content.decode()
    assert WorkIndicator.objects.filter(assessment=cast.somchai_assessment).count() == 2
    saved = Assessment.objects.get(pk=cast.somchai_assessment.pk)
    assert saved.work_results == Decimal("80.00")


def test_a_bad_file_lists_its_errors_in_thai_and_nothing_is_kept(hr_browser, round_open):
    bad = ["K0202,งาน,ชิ้น,50,1,2,3,4,5,9", "K0202,อีกงาน,ชิ้น,40,1,2,3,4,5,"]
    response = hr_browser.post(url(), {"cycle": round_open.cycle.pk, "file": upload(*bad)})
    text = response.content.decode()
    assert_message(text, "ไม่ใช่ระดับ", "is not a level")
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not WorkIndicator.objects.exists()
