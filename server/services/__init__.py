"""Feature logic between the routes (api/) and the pure rules (policy/) + storage (store/).

A service function takes an open connection inside the caller's transaction and the feature
clock's ``now``; it knows no Flask request or response.  Routes stay thin: parse, authorise,
open the transaction, call a service, shape the answer.
"""
