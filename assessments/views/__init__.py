"""Pages of staff and supervisors: rating, results and the steps on them, home, printed forms."""
