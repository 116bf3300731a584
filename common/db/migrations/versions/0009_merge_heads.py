"""one head again: merge the branches the services' schemas grew on in parallel

Revision ID: 0009
Revises: 0002, 0004, 0005, 0007, 0008
Create Date: 2026-11-23
"""

revision = "0009"
down_revision = ("0002", "0004", "0005", "0007", "0008")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass
