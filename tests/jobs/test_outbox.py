"""The outbox: rows written in the caller's transaction, ids-only payloads, claiming with a lease,
retries with backoff, and the first real handler (the privileged-grant notice).

Times are fixed instants; the lease is 300 s and the backoff 60 s × 2^(attempt−1) (settings
defaults), so every instant below is worked out by hand.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings

from lev.audit.models import AuditEvent
from lev.audit.services import record
from lev.jobs.handlers import PROBE
from lev.jobs.models import OutboxItem
from lev.jobs.registry import job_handler, registered_kinds
from lev.jobs.services import (
    TOKEN,
    PayloadNotAllowed,
    backoff,
    claim,
    execute,
    outbox_enqueue,
    reconcile,
    run_item,
    sweep,
)
from lev.schools.models import Membership, Role
from lev.schools.services import PRIVILEGED_GRANT_JOB, membership_grant

AMS = ZoneInfo("Europe/Amsterdam")
T = dt.datetime(2026, 11, 24, 9, 0, tzinfo=AMS)
FAILING = "tests.always_fails"
ROLLING_BACK = "tests.writes_then_fails"


class HandlerBroke(RuntimeError):
    pass


@job_handler(FAILING, max_attempts=3)
def always_fails(n: int, now: dt.datetime | None = None) -> None:
    raise HandlerBroke("Anna Jansen, 5a, thuissituatie")  # content that must never be stored


@job_handler(ROLLING_BACK)
def writes_then_fails(probe: str, now: dt.datetime | None = None) -> None:
    record("job_probe_ran", actor=None, object_type="test", object_id=probe, now=now)
    raise HandlerBroke


def probe(token: str, *, now: dt.datetime = T, **kwargs) -> OutboxItem:
    with transaction.atomic():
        return outbox_enqueue(kind=PROBE, payload={"probe": token}, key=f"{PROBE}:{token}", now=now, **kwargs)


def runs_of(token: str) -> int:
    return AuditEvent.objects.filter(action="job_probe_ran", object_id=token).count()


# --- Writing --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_item_is_part_of_the_callers_transaction():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        outbox_enqueue(kind=PROBE, payload={"probe": "rolled-back"}, now=T)
        1 / 0  # noqa: B018 - the change that caused the item fails
    assert not OutboxItem.objects.exists()

    item = probe("kept")
    item.refresh_from_db()
    assert (item.kind, item.payload, item.status, item.attempts) == (PROBE, {"probe": "kept"}, "pending", 0)
    assert (item.run_after, item.created_at, item.done_at) == (T, T, None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload",
    [
        {"name": "Anna Jansen"},
        {"email": "ouder@example.org"},
        {"note": "x" * 65},
        {"nested": {"pupil_id": 1}},
        {"ids": [1, "Anna Jansen"]},
        {"not an argument": 1},
    ],
)
def test_a_payload_holds_ids_only(payload):
    with pytest.raises(PayloadNotAllowed), transaction.atomic():
        outbox_enqueue(kind=PROBE, payload=payload, now=T)
    assert not OutboxItem.objects.exists()


@pytest.mark.django_db
def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="No handler"), transaction.atomic():
        outbox_enqueue(kind="email.never_registered", payload={}, now=T)
    assert {PROBE, PRIVILEGED_GRANT_JOB} <= set(registered_kinds())


@pytest.mark.django_db
def test_the_same_key_is_written_once():
    first = probe("once")
    second = probe("once", now=T + dt.timedelta(minutes=1))
    assert first.pk == second.pk
    assert OutboxItem.objects.count() == 1


@pytest.mark.django_db
def test_the_id_goes_to_the_queue_after_the_commit_only_when_a_broker_is_configured(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        item = probe("with-broker")
    assert len(callbacks) == 1
    assert item.enqueued_at == T
    with override_settings(REDIS_URL=None), django_capture_on_commit_callbacks() as callbacks:
        item = probe("embedded")
    assert callbacks == []
    assert item.enqueued_at is None


# --- Running --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_runs_due_items_once_and_leaves_later_ones():
    now_item = probe("now")
    later = probe("later", run_after=T + dt.timedelta(hours=1))
    assert sweep(now=T, worker_id="w1") == 1
    assert sweep(now=T, worker_id="w1") == 0
    now_item.refresh_from_db()
    later.refresh_from_db()
    assert (now_item.status, now_item.done_at, now_item.attempts, now_item.claimed_until) == (
        "done",
        T,
        1,
        None,
    )
    assert later.status == "pending"
    assert (runs_of("now"), runs_of("later")) == (1, 0)
    assert sweep(now=T + dt.timedelta(hours=1), worker_id="w1") == 1
    assert runs_of("later") == 1


@pytest.mark.django_db
def test_a_message_delivered_twice_runs_the_item_once():
    item = probe("twice")
    assert run_item(item.pk, worker_id="w1", now=T) == "done"
    assert run_item(item.pk, worker_id="w2", now=T) == "skipped"
    assert run_item(999_999, worker_id="w2", now=T) == "skipped"
    assert runs_of("twice") == 1


@pytest.mark.django_db
def test_a_killed_workers_item_runs_again_once_its_lease_has_run_out():
    item = probe("orphan")
    assert claim(batch=10, worker_id="died", now=T) == [item.pk]
    # The worker died without running it. While the lease (until 09:05:00) holds, nobody takes it.
    assert sweep(now=T + dt.timedelta(seconds=299), worker_id="w2") == 0
    assert sweep(now=T + dt.timedelta(seconds=300), worker_id="w2") == 0  # not yet *after* the lease
    assert sweep(now=T + dt.timedelta(seconds=301), worker_id="w2") == 1
    item.refresh_from_db()
    assert (item.status, item.attempts, item.claimed_by) == ("done", 2, "w2")
    assert runs_of("orphan") == 1
    # The dead worker, were it to wake up, finds the item no longer its own.
    assert execute(item.pk, worker_id="died", now=T).status == "not_claimed"
    assert runs_of("orphan") == 1


@pytest.mark.django_db
def test_the_reconciler_gives_back_an_expired_lease():
    item = probe("lease")
    claim(batch=1, worker_id="died", now=T)
    with override_settings(REDIS_URL=None):
        assert reconcile(now=T + dt.timedelta(seconds=300)).released == 0
        result = reconcile(now=T + dt.timedelta(seconds=301))
    assert (result.released, result.given_up, result.sent) == (1, 0, 0)
    item.refresh_from_db()
    assert (item.status, item.claimed_by, item.claimed_until) == ("pending", "", None)
    assert sweep(now=T + dt.timedelta(seconds=301), worker_id="w2") == 1
    assert runs_of("lease") == 1


@pytest.mark.django_db
def test_a_failing_handler_is_retried_with_backoff_and_then_given_up():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 7, 8)] == [60, 120, 240, 3600, 3600]
    with transaction.atomic():
        item = outbox_enqueue(kind=FAILING, payload={"n": 1}, now=T)

    assert sweep(now=T, worker_id="w") == 1
    item.refresh_from_db()
    assert (item.status, item.attempts, item.last_error) == ("failed", 1, "HandlerBroke")
    assert item.run_after == dt.datetime(2026, 11, 24, 9, 1, tzinfo=AMS)

    assert sweep(now=dt.datetime(2026, 11, 24, 9, 0, 59, tzinfo=AMS), worker_id="w") == 0
    assert sweep(now=dt.datetime(2026, 11, 24, 9, 1, tzinfo=AMS), worker_id="w") == 1
    item.refresh_from_db()
    assert (item.status, item.attempts) == ("failed", 2)
    assert item.run_after == dt.datetime(2026, 11, 24, 9, 3, tzinfo=AMS)  # 09:01 + 2 minutes

    assert sweep(now=dt.datetime(2026, 11, 24, 9, 3, tzinfo=AMS), worker_id="w") == 1
    item.refresh_from_db()
    assert (item.status, item.attempts, item.last_error) == ("dead", 3, "HandlerBroke")
    assert sweep(now=dt.datetime(2026, 11, 25, 9, 0, tzinfo=AMS), worker_id="w") == 0
    assert "Anna" not in str(OutboxItem.objects.values().get(pk=item.pk))


@pytest.mark.django_db
def test_a_failing_handler_leaves_no_half_done_work():
    with transaction.atomic():
        item = outbox_enqueue(kind=ROLLING_BACK, payload={"probe": "half"}, now=T)
    sweep(now=T, worker_id="w")
    assert not AuditEvent.objects.filter(object_id="half").exists()
    item.refresh_from_db()
    assert item.status == "failed"


@pytest.mark.django_db
def test_a_worker_that_died_on_its_last_attempt_is_given_up_visibly():
    with transaction.atomic():
        item = outbox_enqueue(kind=FAILING, payload={"n": 2}, now=T)
    OutboxItem.objects.filter(pk=item.pk).update(attempts=2)
    claim(batch=1, worker_id="died", now=T)  # the third and last attempt; the worker dies
    with override_settings(REDIS_URL=None):
        result = reconcile(now=T + dt.timedelta(minutes=6))
    assert (result.released, result.given_up) == (0, 1)
    item.refresh_from_db()
    assert (item.status, item.last_error) == ("dead", "WorkerLost")


# --- The privileged-grant notice on the outbox ----------------------------------------------


@pytest.mark.django_db
def test_a_privileged_grant_writes_an_outbox_row_and_the_sweep_mails_once(world, mailoutbox):
    person = world.teacher_a
    with transaction.atomic():
        membership = membership_grant(
            user=person,
            board=world.board,
            role=Role.CARE_COORDINATOR,
            school=world.school_a,
            active_from=dt.date(2026, 11, 24),
            actor=world.functional_admin,
            now=T,
        )
    item = OutboxItem.objects.get()
    assert (item.kind, item.payload, item.board, item.school) == (
        PRIVILEGED_GRANT_JOB,
        {"membership_id": membership.pk},
        world.board,
        world.school_a,
    )
    assert item.key == f"email.privileged_grant:{membership.pk}"
    assert mailoutbox == []  # nothing leaves before a worker runs the row
    assert sweep(now=T, worker_id="w") == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [world.board_member.email, world.privacy_officer.email]
    )
    assert sweep(now=T, worker_id="w") == 0
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_a_teacher_grant_and_a_refused_grant_write_no_outbox_row(world):
    membership_grant(
        user=world.staff_a,
        board=world.board,
        role=Role.TEACHER,
        school=world.school_a,
        active_from=dt.date(2026, 11, 24),
        actor=world.functional_admin,
        now=T,
    )
    with pytest.raises(ValidationError):
        membership_grant(
            user=world.director_a,
            board=world.board,
            role=Role.DIRECTOR,
            school=world.school_a,
            active_from=dt.date(2026, 11, 24),
            actor=world.functional_admin,
            now=T,
        )
    assert Membership.objects.filter(user=world.staff_a, role=Role.TEACHER).exists()
    assert not OutboxItem.objects.exists()


@pytest.mark.django_db
def test_no_payload_in_the_outbox_holds_more_than_ids(world):
    for role in (Role.DIRECTOR, Role.CONFIDANT):
        membership_grant(
            user=world.teacher_a,
            board=world.board,
            role=role,
            school=world.school_a,
            active_from=dt.date(2026, 11, 24),
            actor=world.functional_admin,
            now=T,
        )
    probe("a1b2c3")
    payloads = list(OutboxItem.objects.values_list("payload", flat=True))
    assert len(payloads) == 3
    for payload in payloads:
        for value in payload.values():
            assert isinstance(value, int) or (isinstance(value, str) and TOKEN.match(value)), payload
    text = str(payloads)
    for personal in ("teacher_a", world.teacher_a.email, "Regenboog", "Stichting"):
        assert personal not in text
