import pytest

from lev.audit.models import AccessLogEntry, AuditEvent, InsertOnlyError
from lev.audit.services import read, record


@pytest.mark.django_db
def test_record_keeps_only_json_safe_scalars_and_board_from_object(world):
    event = record(
        "school_updated",
        actor=world.functional_admin,
        obj=world.school_a,
        summary={"fields": ["name", "city"], "n": 2},
    )
    assert event.board == world.board
    assert (event.object_type, event.object_id) == ("schools.school", str(world.school_a.pk))
    assert event.summary == {"fields": ["name", "city"], "n": 2}


@pytest.mark.django_db
def test_sequence_increases(world):
    first = record("a", actor=None)
    second = record("b", actor=None)
    assert second.sequence > first.sequence


@pytest.mark.django_db
def test_audit_and_access_log_are_insert_only(world):
    event = record("a", actor=world.teacher_a)
    entry = read(user=world.teacher_a, obj=world.pupil_a, pupil_id=world.pupil_a.pk)
    for row in (event, entry):
        with pytest.raises(InsertOnlyError):
            row.save()
        with pytest.raises(InsertOnlyError):
            row.delete()
    assert AuditEvent.objects.count() == 1
    assert AccessLogEntry.objects.get().school == world.school_a
