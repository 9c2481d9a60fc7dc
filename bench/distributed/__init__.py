"""Pieces of bench/distributed_vs_celery.py: the distributed runtime measured against hand-written
Celery on the same redis-server in the same run (see docs/benchmarks.md, "Distributed runtime")."""
