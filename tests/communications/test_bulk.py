"""Bulk incident letters: 500 addresses → 500 stored PDFs (each hashed), one print file, and 500
e-mails through the outbox — every PDF rendered once and every e-mail sent once, also when the
render job and the e-mail worker are killed half-way (issue "Letters and communication")."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import override_settings
from pypdf import PdfReader

from communications import letter_services as svc
from communications.letter_models import Letter, LetterCopy, LetterStatus
from communications.rendering import render_limited_stream
from lev.jobs.models import OutboxItem
from lev.jobs.services import claim, execute, sweep
from lev.schools.models import Enrolment, Guardian, Pupil, PupilGuardian
from tests import factories as f
from tests.communications.test_letters import samples

pytestmark = pytest.mark.django_db
T = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
ADDRESSES = 500


class WorkerKilled(RuntimeError):
    pass


def big_group(world):
    group = f.GroupFactory(school=world.school_a, name="8z", grades=[8])
    pupils = Pupil.objects.bulk_create(
        Pupil(
            board=world.board,
            school=world.school_a,
            admin_number=f"9{n:05d}",
            roepnaam="Kind",
            achternaam=f"Nummer{n}",
            date_of_birth=dt.date(2014, 1, 1),
        )
        for n in range(ADDRESSES)
    )
    Enrolment.objects.bulk_create(
        Enrolment(board=world.board, school=world.school_a, pupil=p, enrolled_on=dt.date(2020, 8, 1))
        for p in pupils
    )
    for p in pupils:
        f.place(p, group)
    guardians = Guardian.objects.bulk_create(
        Guardian(
            board=world.board,
            school=world.school_a,
            external_key=f"g{n}",
            first_name="Ouder",
            achternaam=f"Nummer{n}",
            street=f"Laan {n + 1}",
            postcode="2771 AB",
            city="Boskoop",
            email=f"ouder{n}@example.org",
        )
        for n in range(ADDRESSES)
    )
    PupilGuardian.objects.bulk_create(
        PupilGuardian(board=world.board, school=world.school_a, pupil=p, guardian=g, relation="parent")
        for p, g in zip(pupils, guardians, strict=True)
    )
    return group


def test_500_addresses_rendered_once_merged_and_emailed_once(world, tmp_path, mailoutbox):
    world.school_a.phone = "0172 123 456"
    world.school_a.save()
    group = big_group(world)
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        letter = svc.letter_create(
            kind_code="incident_eigen_groep",
            school=world.school_a,
            group_ids=[group.pk],
            values=samples("incident_eigen_groep") | {"groep": "groep 8z"},
            actor=world.ib_a,
            now=T,
        )
        svc.letter_submit(letter=letter, actor=world.ib_a, now=T)
        svc.letter_approve(letter=letter, actor=world.director_a, now=T)
        assert LetterCopy.objects.filter(letter=letter).count() == ADDRESSES

        # The render job is killed after 100 letters.
        made = []

        def dying(htmls):
            for pdf in render_limited_stream(htmls):
                if len(made) == 100:
                    raise WorkerKilled
                made.append(pdf)
                yield pdf

        with pytest.raises(WorkerKilled):
            svc.letter_render(letter.pk, now=T, renderer=dying, workers=1)
        first = dict(LetterCopy.objects.filter(letter=letter).exclude(sha256="").values_list("pk", "sha256"))
        assert len(first) == 100
        assert not Letter.objects.get(pk=letter.pk).print_sha256

        # The outbox retries the job (the real handler: two render processes): the rest is made.
        assert sweep(now=T, worker_id="w2") == 1
        job = OutboxItem.objects.get(kind=svc.RENDER_JOB)
        assert job.status == "done"
        copies = list(LetterCopy.objects.filter(letter=letter).order_by("position"))
        assert all(c.sha256 for c in copies)
        assert {c.pk: c.sha256 for c in copies if c.pk in first} == first  # the first 100 were not made again
        assert len({c.sha256 for c in copies}) == ADDRESSES  # every address has its own letter
        for copy in copies[::97]:
            assert hashlib.sha256(svc.copy_pdf_bytes(copy)).hexdigest() == copy.sha256
        letter.refresh_from_db()
        with letter.print_pdf.open("rb") as fh:
            merged = fh.read()
        assert hashlib.sha256(merged).hexdigest() == letter.print_sha256
        per_letter = {len(PdfReader(c.pdf.path).pages) for c in copies[::50]}
        assert len(per_letter) == 1  # the same letter, one address each
        assert len(PdfReader(letter.print_pdf.path).pages) == ADDRESSES * per_letter.pop()

        # E-mail to every address; the e-mail worker is killed after 150 messages.
        assert svc.letter_email_all(letter=letter, actor=world.ib_a, now=T) == ADDRESSES
        assert Letter.objects.get(pk=letter.pk).status == LetterStatus.SENT
        assert OutboxItem.objects.filter(kind=svc.EMAIL_JOB).count() == ADDRESSES
        claimed = claim(batch=200, worker_id="dies", now=T)
        for item_id in claimed[:150]:
            execute(item_id, worker_id="dies", now=T)
        assert len(mailoutbox) == 150
        # Its lease runs out; another worker takes over what is left.
        later = T + dt.timedelta(minutes=10)
        while sweep(now=later, worker_id="w3"):
            pass
        assert len(mailoutbox) == ADDRESSES
        assert sorted(m.to[0] for m in mailoutbox) == sorted(
            f"ouder{n}@example.org" for n in range(ADDRESSES)
        )
        assert LetterCopy.objects.filter(letter=letter, emailed_at__isnull=True).count() == 0
