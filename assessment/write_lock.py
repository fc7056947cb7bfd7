"""The database's one write lock, the same rule on both engines (:mod:`assessment.storage`,
:mod:`assessment.postgres`): how long a write waits for the writer before it, and the advisory
lock every PostgreSQL write takes. Read at call time, so a test may shorten the wait."""

BUSY_TIMEOUT_S = 30.0
WRITE_LOCK_PG = 0x5765726B  # "Werk"
