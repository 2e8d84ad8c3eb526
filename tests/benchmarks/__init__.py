"""Benchmarks: ``make bench`` runs every ``bench_*.py`` module's ``main()`` and prints figures.

They are not tests (pytest does not collect them) and their figures are read as ratios against
the baselines each one names, since the machine is shared and noisy.
"""
