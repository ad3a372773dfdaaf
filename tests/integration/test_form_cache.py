"""A person's printed form is kept, so that downloading it again does not render it again;
any change that shows on the form makes a new one (issue 11, point 3)."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments import services
from assessments.models import Role
from tests.factories import all_indicators

MARKER = b"%PDF-1.4\n% kept, not rendered again\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def kept(media, assessment):
    folder = media / "forms" / str(assessment.pk)
    return sorted(folder.rglob("*.pdf")) if folder.exists() else []


def download(client, assessment):
    response = client.get(reverse("assessments:pdf", args=[assessment.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_form_downloaded_again_is_not_rendered_again(client, round_open, media):
    assessment = round_open.somchai_assessment
    client.force_login(round_open.somchai.user)

    first = download(client, assessment)

    [file] = kept(media, assessment)
    assert file.read_bytes() == first
    assert len(PdfReader(io.BytesIO(first)).pages) >= 1
    file.write_bytes(MARKER)  # what is kept is what is served, as long as nothing changed
    assert download(client, assessment) == MARKER


def test_a_change_on_the_form_makes_a_new_one(client, round_open, media):
    assessment = round_open.somchai_assessment
    client.force_login(round_open.somchai.user)
    download(client, assessment)
    [before] = kept(media, assessment)
    before.write_bytes(MARKER)

    first = all_indicators(assessment.cycle.framework)[0]
    services.save_ratings(
        assessment=assessment, role=Role.SELF, by=round_open.somchai.user, values={first.pk: 1}
    )
    after_change = download(client, assessment)

    assert after_change != MARKER and after_change.startswith(b"%PDF")
    [now] = kept(media, assessment)  # the old one is gone
    assert now != before and now.read_bytes() == after_change


def test_one_form_is_kept_per_kind_whatever_the_language(client, round_open, media):
    assessment = round_open.somchai_assessment
    client.force_login(round_open.somchai.user)
    download(client, assessment)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = download(client, assessment)
    [file] = kept(media, assessment)
    assert file.read_bytes() == english  # one kept per kind: the latest
