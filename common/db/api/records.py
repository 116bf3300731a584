"""What the DB layer returns instead of ORM rows: frozen dataclasses read off a row
while its session is open, so no caller touches a detached row or a lazy load."""
import dataclasses
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")


def from_row(record: type[R], row: object, **computed: Any) -> R:
    """A ``record`` of the row's columns of the same names; ``computed`` gives the
    fields that are not plain columns (a relationship's values, a copied JSON)."""
    columns = {field.name: getattr(row, field.name)
               for field in dataclasses.fields(record)
               if field.name not in computed}
    return record(**columns, **computed)
