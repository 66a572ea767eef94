"""Programmes and calls as data: budgets, earmarks, instruments, themes, zones, phases, criteria."""
