"""The portal's sessions (SESSION_ENGINE): Django's database sessions, each read with one plain query.

Every signed-in page reads its session first. Django's `Session.objects.get(session_key=…, expire_date__gt=now)`
took ~0.7 ms of CPU to build and compile on every request, the same query in SQL ~0.05 ms (portal_bench_1k, issue
12). The query is Django's (the key, and not expired); saving, expiry and the new key at sign-in stay Django's.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """The session's row if its key exists and has not expired, else None and no key (as Django's)."""
        model = self.model
        connection = connections[router.db_for_read(model)]
        quote, column = connection.ops.quote_name, lambda name: quote(model._meta.get_field(name).column)
        sql = (
            f"SELECT {column('session_data')} FROM {quote(model._meta.db_table)}"  # noqa: S608 - names only
            f" WHERE {column('session_key')} = %s AND {column('expire_date')} > %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
