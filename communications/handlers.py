"""Outbox handlers for letters: render the PDFs of an approved letter; e-mail a copy whose kind
may go as an attachment (never a schorsing, verwijdering or AVG letter: ARCHITECTURE.md §8).

E-mail is sent at least once: `emailed_at` is written in the handler's transaction, which commits
together with "done". A worker killed after the mail server accepted the message but before the
commit sends it again when the item is retried; a worker killed before that sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime

from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lev.jobs.registry import job_handler

from .domain.texts import letter_kind
from .letter_models import DispatchMethod, LetterCopy
from .letter_services import EMAIL_JOB, RENDER_JOB, copy_pdf_bytes, letter_render


@job_handler(RENDER_JOB, max_attempts=5)
def render_letter(letter_id: int, now: datetime | None = None) -> int:
    return letter_render(letter_id, now=now or timezone.now())


@job_handler(EMAIL_JOB)
def email_letter_copy(copy_id: int, now: datetime | None = None) -> int:
    copy = LetterCopy.objects.select_related("letter__school").filter(pk=copy_id).first()
    if copy is None or copy.method != DispatchMethod.EMAIL or not copy.sha256 or not copy.email:
        return 0
    if copy.emailed_at is not None:
        return 0
    kind = letter_kind(copy.letter.kind)
    if not kind.attachment_allowed:
        return 0
    school = copy.letter.school
    with override("nl"):
        subject = _("Letter from %(school)s") % {"school": school.name}
        body = _(
            "Attached is a letter from %(school)s. If you have questions, please contact the school."
        ) % {"school": school.name}
    message = EmailMessage(subject, body, to=[a.strip() for a in copy.email.split(",") if a.strip()])
    message.attach(f"brief-{copy.letter.reference}.pdf", copy_pdf_bytes(copy), "application/pdf")
    sent = message.send(fail_silently=False)
    LetterCopy.objects.filter(pk=copy.pk).update(emailed_at=now or timezone.now())
    return sent
