// The shared test support (Tests/TestSupport): scratch folders, the tool runner, spawned processes, seeded randomness.
@_exported import TestSupport
