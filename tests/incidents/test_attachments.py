"""Incident attachments (SECURITY.md threat 8): allowed by content only (PDF, PNG, JPEG), limited in
size, stored under a random name outside the web root, and served only through the incident's access
check — as a download with `nosniff`, `no-store` and the checked type.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import struct
import zlib
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents.incident_services import NewAttachment, attachment_add, incident_register
from incidents.models import Incident, IncidentAttachment, PupilRole, Severity
from incidents.uploads import DEFAULT_MAX_BYTES, check_upload, display_name, download_name, max_bytes
from lev.audit.models import AccessLogEntry, AccessOutcome, AuditEvent
from tests.conftest import signed_in_client
from tests.i18n_helpers import h, t

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 5, 12, 10, 0, tzinfo=AMSTERDAM)

TYPE_MESSAGE = (
    "LEV accepts PDF files and photos (PNG or JPEG) only, checked by what is inside the "
    "file, not by its name. Save the document as PDF and attach it again."
)
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>\n"
)
HTML = b"<!DOCTYPE html>\n<html><body><script>fetch('/leerlingen/')</script></body></html>\n"


def png_bytes() -> bytes:
    """A valid 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def pdf_bytes(size: int | None = None) -> bytes:
    """A small PDF; padded with a comment to exactly SIZE bytes when given."""
    start, end = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n", b"\n%%EOF\n"
    if size is None:
        return start + end
    padding = size - len(start) - len(end) - 1
    return start + b"%" + b"x" * padding + end


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- Checking by content ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("verslag.pdf", pdf_bytes(), "application/pdf"),
        ("foto.png", png_bytes(), "image/png"),
        ("foto.jpg", JPEG, "image/jpeg"),
        # The name does not matter, only the content.
        ("foto.txt", png_bytes(), "image/png"),
    ],
)
def test_allowed_types_are_recognised_by_their_content(name, content, expected):
    checked = check_upload(upload(name, content))
    assert (checked.content_type, checked.size) == (expected, len(content))
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.extension == {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[expected]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("foto.png", SVG_WITH_SCRIPT, "image/png"),
        ("tekening.svg", SVG_WITH_SCRIPT, "image/svg+xml"),
        ("verslag.pdf", HTML, "application/pdf"),
        # Starts like a PDF and ends like one, but carries HTML in its first kilobyte.
        ("verslag.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n", "application/pdf"),
        ("notities.txt", b"Gewone tekst over het incident.\n", "text/plain"),
        ("verslag.docx", b"PK\x03\x04" + b"\x00" * 40, "application/vnd.openxmlformats"),
        # The PDF header without its end marker is not a PDF.
        ("half.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n", "application/pdf"),
    ],
    ids=["svg-named-png", "svg", "html-named-pdf", "pdf-html-polyglot", "text", "docx", "pdf-without-eof"],
)
def test_other_types_are_refused_whatever_the_name_or_browser_type(name, content, content_type):
    with pytest.raises(ValidationError) as excinfo:
        check_upload(upload(name, content, content_type))
    assert excinfo.value.code == "type"


def test_the_size_limit_comes_from_the_setting_with_ten_megabytes_as_default(settings):
    if hasattr(settings, "LEV_ATTACHMENT_MAX_BYTES"):
        del settings.LEV_ATTACHMENT_MAX_BYTES
    assert max_bytes() == DEFAULT_MAX_BYTES == 10 * 1024 * 1024
    settings.LEV_ATTACHMENT_MAX_BYTES = 200
    assert check_upload(upload("a.pdf", pdf_bytes(200))).size == 200
    with pytest.raises(ValidationError) as excinfo:
        check_upload(upload("a.pdf", pdf_bytes(201)))
    assert excinfo.value.code == "too_large"


def test_the_size_is_counted_also_when_the_declared_size_is_wrong(settings):
    settings.LEV_ATTACHMENT_MAX_BYTES = 200
    lying = upload("a.pdf", pdf_bytes(300))
    lying.size = 10
    with pytest.raises(ValidationError) as excinfo:
        check_upload(lying)
    assert excinfo.value.code == "too_large"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        check_upload(upload("leeg.pdf", b""))
    assert excinfo.value.code == "empty"


@pytest.mark.parametrize(
    ("original", "extension", "shown", "offered"),
    [
        ("Verslag gesprek.pdf", "pdf", "Verslag gesprek.pdf", "Verslag gesprek.pdf"),
        ("C:\\Users\\juf\\Foto's klimrek.jpeg", "jpg", "Foto's klimrek.jpeg", "Foto_s klimrek.jpg"),
        ("../../etc/passwd", "pdf", "passwd", "passwd.pdf"),
        ('a"; filename=evil.html', "png", 'a"; filename=evil.html', "a_filename_evil.png"),
        ("Zoë\r\n.png", "png", "Zoë.png", "Zoe.png"),
        ("", "pdf", "bijlage", "bijlage.pdf"),
    ],
)
def test_names_are_made_safe_for_display_and_download(original, extension, shown, offered):
    assert display_name(original) == shown
    assert download_name(original, extension) == offered


# --- Storing -----------------------------------------------------------------------------------------


def register(world, **overrides):
    values = {
        "school": world.school_a,
        "happened_on": dt.date(2026, 5, 12),
        "happened_time": None,
        "location": "Gymzaal",
        "category": "agressie",
        "description": "Een leerling gooide een bal hard tegen het hoofd van een ander.",
        "severity": Severity.MINOR,
        "pupils": [(world.pupil_a, PupilRole.INITIATIVE)],
        "reporter": world.ib_a,
        "actor": world.ib_a,
        "now": NOW,
    }
    values.update(overrides)
    return incident_register(**values)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.mark.django_db
def test_a_file_is_stored_under_a_random_name_with_its_hash(world, media):
    incident = register(world)
    content = png_bytes()
    attachment = attachment_add(
        incident=incident,
        upload=upload("Anna Jansen klimrek.png", content, "image/png"),
        description="Foto van de plek",
        actor=world.director_a,
        now=NOW,
    )
    row = IncidentAttachment.objects.get()
    assert row == attachment
    assert (row.original_name, row.content_type, row.size) == (
        "Anna Jansen klimrek.png",
        "image/png",
        len(content),
    )
    assert row.sha256 == hashlib.sha256(content).hexdigest()
    assert (row.description, row.uploaded_by, row.uploaded_at) == ("Foto van de plek", world.director_a, NOW)
    name = row.file.name
    assert name.startswith("incidents/") and name.endswith(".png")
    assert "Anna" not in name and "Jansen" not in name and "klimrek" not in name
    assert len(Path(name).stem) == 32
    assert (media / name).read_bytes() == content
    assert AuditEvent.objects.filter(action="incident_attachment_added", object_id=str(row.pk)).count() == 1


@pytest.mark.django_db
def test_a_file_can_come_with_the_new_incident_and_a_bad_one_stops_it(world, media):
    incident = register(world, attachments=[NewAttachment(upload("verslag.pdf", pdf_bytes()), "Verslag")])
    assert list(incident.attachments.values_list("content_type", "description")) == [
        ("application/pdf", "Verslag")
    ]

    with pytest.raises(ValidationError) as excinfo:
        register(world, attachments=[NewAttachment(upload("foto.png", SVG_WITH_SCRIPT, "image/png"))])
    assert set(excinfo.value.message_dict) == {"attachment"}
    assert Incident.objects.count() == IncidentAttachment.objects.count() == 1
    assert len(list((media / "incidents").rglob("*.*"))) == 1


@pytest.mark.parametrize("persona", ["teacher_a", "staff_a", "confidant_a", "teacher_b"])
@pytest.mark.django_db
def test_only_leads_attach_files_afterwards(world, media, persona):
    incident = register(world, reporter=world.teacher_a)
    with pytest.raises(PermissionDenied):
        attachment_add(
            incident=incident,
            upload=upload("a.pdf", pdf_bytes()),
            description="",
            actor=getattr(world, persona),
            now=NOW,
        )
    assert IncidentAttachment.objects.count() == 0


# --- Serving -------------------------------------------------------------------------------------------


@pytest.fixture
def stored(world, media):
    """An incident of school A reported by the IB (so teacher_a is not its reporter), with a PNG."""
    incident = register(world)
    attachment = attachment_add(
        incident=incident,
        upload=upload("Foto's van het plein.png", png_bytes(), "image/png"),
        description="",
        actor=world.ib_a,
        now=NOW,
    )
    return incident, attachment


def download_url(incident, attachment) -> str:
    return reverse("incidents:attachment_download", args=[incident.pk, attachment.pk])


@pytest.mark.parametrize("persona", ["ib_a", "director_a", "deputy_a"])
@pytest.mark.django_db
def test_a_lead_downloads_the_file_as_an_attachment_with_safe_headers(world, stored, persona):
    incident, attachment = stored
    response = signed_in_client(getattr(world, persona)).get(download_url(incident, attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="Foto_s van het plein.png"'
    assert "no-store" in response["Cache-Control"]
    granted = AccessLogEntry.objects.filter(outcome=AccessOutcome.GRANTED)
    assert list(granted.values_list("object_type", "object_id")) == [("incidents.incident", str(incident.pk))]


@pytest.mark.django_db
def test_the_reporter_downloads_the_files_of_their_own_incident(world, media):
    incident = register(world, reporter=world.teacher_a)
    attachment = attachment_add(
        incident=incident, upload=upload("a.pdf", pdf_bytes()), description="", actor=world.ib_a, now=NOW
    )
    response = signed_in_client(world.teacher_a).get(download_url(incident, attachment))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("teacher_a", 403),  # a teacher of the school who did not report it
        ("staff_a", 403),
        ("confidant_a", 403),
        ("teacher_b", 404),  # another school
        ("board_member", 404),
        ("privacy_officer", 404),
    ],
)
@pytest.mark.django_db
def test_the_file_is_refused_to_everyone_else(world, stored, persona, status):
    incident, attachment = stored
    response = signed_in_client(getattr(world, persona)).get(download_url(incident, attachment))
    assert response.status_code == status
    assert png_bytes() not in response.content
    assert not AccessLogEntry.objects.filter(outcome=AccessOutcome.GRANTED).exists()


@pytest.mark.django_db
def test_without_a_session_the_file_is_never_served(world, stored, client):
    incident, attachment = stored
    response = client.get(download_url(incident, attachment))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert png_bytes() not in response.content


@pytest.mark.django_db
def test_an_attachment_is_only_found_under_its_own_incident(world, stored):
    incident, attachment = stored
    other = register(world)
    response = signed_in_client(world.ib_a).get(download_url(other, attachment))
    assert response.status_code == 404


# --- The attachment page ------------------------------------------------------------------------------


def add_url(incident) -> str:
    return reverse("incidents:attachment_add", args=[incident.pk])


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("foto.png", SVG_WITH_SCRIPT, "image/png"), ("verslag.pdf", HTML, "application/pdf")],
    ids=["svg-named-png", "html-named-pdf"],
)
@pytest.mark.django_db
def test_the_page_refuses_a_forbidden_file_at_the_field_and_keeps_the_description(
    world, media, name, content, content_type
):
    incident = register(world)
    response = signed_in_client(world.ib_a).post(
        add_url(incident),
        {"attachment": upload(name, content, content_type), "attachment_description": "Bericht van moeder"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert h(t(TYPE_MESSAGE)) in html
    assert 'id="id_attachment_error"' in html
    assert 'value="Bericht van moeder"' in html
    assert IncidentAttachment.objects.count() == 0


@pytest.mark.django_db
def test_the_page_refuses_a_file_that_is_too_large(world, media, settings):
    settings.LEV_ATTACHMENT_MAX_BYTES = 1024
    incident = register(world)
    response = signed_in_client(world.ib_a).post(
        add_url(incident),
        {"attachment": upload("groot.pdf", pdf_bytes(1025)), "attachment_description": "Groot"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        h(
            t(
                "This file is too large (%(size)s). Attach files of at most %(max)s.",
                size="1,0\xa0KB",
                max="1,0\xa0KB",
            )
        )
        in html
    )
    assert 'value="Groot"' in html
    assert IncidentAttachment.objects.count() == 0


@pytest.mark.django_db
def test_the_page_attaches_an_allowed_file(world, media):
    incident = register(world)
    response = signed_in_client(world.director_a).post(
        add_url(incident),
        {"attachment": upload("verslag.pdf", pdf_bytes()), "attachment_description": "Verslag"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:incident_detail", args=[incident.pk])
    assert list(IncidentAttachment.objects.values_list("original_name", "description")) == [
        ("verslag.pdf", "Verslag")
    ]


@pytest.mark.django_db
def test_a_registration_that_fails_after_writing_the_file_leaves_no_file(world, media, monkeypatch):
    import incidents.incident_services as services

    def broken(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(services, "notify_leads", broken)
    with pytest.raises(RuntimeError):
        register(world, attachments=[NewAttachment(upload("verslag.pdf", pdf_bytes()), "Verslag")])
    assert Incident.objects.count() == IncidentAttachment.objects.count() == 0
    assert list(media.rglob("*.pdf")) == []
