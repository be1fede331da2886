"""Pure decision logic: no Flask, no database, time always passed in.

Modules: settings (protection settings), shielding (deliver/fold/block),
lockdown (one-click protection clock), pileon (risk notices), nudge (writer
suggestions), chain (report hash chain), evidence (PNG screenshots),
transparency (redaction), stats (per-day counters), clock (injectable clocks).
"""
