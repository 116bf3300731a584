"""SQLAlchemy models, one module per domain. The schema changes only through migrations.

Importing this package imports every model module, so ``Base.metadata`` is complete.
"""
from common.db.models.base import Base
from common.db.models.services import Service

__all__ = ["Base", "Service"]
