"""The audit trail of translated models (registered in counters/translation.py) keeps every field:
the translations and the fields the models gained since, such as a procedure's limit on moves."""

import pytest

from tests.factories import CounterTypeFactory

pytestmark = pytest.mark.django_db


def test_a_procedures_history_records_its_move_limit_and_its_translations():
    counter_type = CounterTypeFactory(name="Remise d'un titre de séjour", max_moves=2)
    counter_type.max_moves = 1
    counter_type.name_ar = "تسلّم بطاقة الإقامة"
    counter_type.save()

    latest, first = counter_type.history.all()[:2]
    assert (first.max_moves, first.name_ar) == (2, None)
    assert (latest.max_moves, latest.name_ar) == (1, "تسلّم بطاقة الإقامة")
    assert latest.name_fr == "Remise d'un titre de séjour"
