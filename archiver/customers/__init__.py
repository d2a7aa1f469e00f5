"""Customers: the registry (客户档案), linking documents to them, and the customer file."""
