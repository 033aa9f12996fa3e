import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from abwab.meetings.services import attachment_add

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20


def test_a_checked_file_is_joined_and_served_only_in_scope(client, actors, places, settings):
    meeting = places["taounate_a"].meeting
    attachment = attachment_add(
        actor=actors.taounate,
        meeting=meeting,
        upload=SimpleUploadedFile("pv.pdf", b"%PDF-1.7 minutes"),
    )
    client.force_login(actors.taounate)
    response = client.get(reverse("meetings:attachment", args=[attachment.pk]))
    assert (
        response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.7 minutes"
    )
    client.force_login(actors.meknes)
    assert client.get(reverse("meetings:attachment", args=[attachment.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("photo.pdf", PNG, "bad_content"),
        ("setup.exe", b"MZ\x90\x00", "bad_type"),
        ("noextension", b"%PDF-1.7", "bad_type"),
        ("huge.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 10), "too_big"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(actors, places, settings, name, content, code):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    meeting = places["taounate_a"].meeting
    before = meeting.attachments.count()
    with pytest.raises(ValidationError) as error:
        attachment_add(
            actor=actors.taounate, meeting=meeting, upload=SimpleUploadedFile(name, content)
        )
    assert error.value.code == code
    assert meeting.attachments.count() == before
