"""Reads, with their queries decided here (a fixed number, whatever the size of the data).

results.py is the ONE loader that scores a round or a person; rating.py builds rating sheets,
teams and the open round; dashboard.py, analytics.py and people.py feed HR's pages.
"""
