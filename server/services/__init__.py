"""Feature logic between the routes (api/) and the pure rules (policy/) + storage (store/).

A service function takes an open connection inside the caller's transaction and the feature
clock's ``now``; it parses no request and shapes no response (app-wide settings and objects it
reads from ``current_app``).  Routes stay thin: parse, authorise, open the transaction, call a
service, shape the answer.

* ``protection``  lockdown reminders and recaps, computed from stored times and "now"
* ``pileon``      the recipient's hostile-item window and its one notice per episode (/v1/shield)
* ``offenders``   the repeat-offender signal recorded from /v1/shield, flags and reviews
* ``webhooks``    the signed webhook outbox sender (a thread per worker, owned by the app)
* ``stats``       buffered /v1/analyze counters (a writer thread per worker, owned by the app)
"""
