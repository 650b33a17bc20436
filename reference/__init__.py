"""Reference data that every part of the dashboard shares: the measure catalogue, areas, statuses.

All of it is read from files in data/ so that a council changes it by editing data, not code.
"""
