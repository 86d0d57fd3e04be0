"""Benchmark at national scale: ``make bench`` (not part of ``make test``). See README."""
