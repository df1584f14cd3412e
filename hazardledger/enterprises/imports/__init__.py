"""Imports with a mapping and preview step (the roster here; hazards plugs in its own).

`sheet` finds the table in an upload, `batch` stores an upload as an ImportBatch, checks it
into a preview and applies it (all rows or none) with progress on the batch row.
"""
