"""archiver — document ingestion and archive indexing for customer files (客户档案)."""

__version__ = "0.1.0"
