"""Database helpers every app shares."""

from collections.abc import Iterable, Sequence

from django.db import connections, router


def update_rows(objs: Iterable, fields: Sequence[str]) -> int:
    """Write ``fields`` of saved instances of one model: one ``UPDATE ... WHERE
    pk = %s`` sent once for all rows (``executemany``, one query).

    What ``QuerySet.bulk_update`` does, without the ``CASE WHEN pk = ... THEN``
    expression it builds per field and row, whose compiling costs more than the
    whole rest of a 20-question submit. Plain values only (no ``F()``); no
    signals, as with ``bulk_update``. Returns the number of rows sent.
    """
    objs = list(objs)
    if not objs:
        return 0
    model = type(objs[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    columns = [meta.get_field(name) for name in fields]
    rows = []
    for obj in objs:
        if type(obj) is not model or obj.pk is None:
            raise ValueError("update_rows: saved instances of one model only")
        values = []
        for field in columns:
            value = getattr(obj, field.attname)
            if hasattr(value, "resolve_expression"):
                raise TypeError(f"update_rows: {field.name} is an expression")
            values.append(field.get_db_prep_save(value, connection))
        values.append(meta.pk.get_db_prep_save(obj.pk, connection))
        rows.append(values)
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {assignments} "
        f"WHERE {quote(meta.pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)
