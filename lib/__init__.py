"""Helpers several apps use: PDF drawing, keyed hashing, rate limits, the client's address,
draft preview, the country field, one-line form fields, the admin's CSV import and charts.

Nothing here imports a feature app or the project package: imports run campaign → feature
apps → lib → Django.
"""
