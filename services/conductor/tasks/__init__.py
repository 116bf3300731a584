"""The conductor's long flows, one class per flow (build, delete, resize)."""

PUBLISHER = "strato-conductor"
