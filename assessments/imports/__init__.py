"""Files in: the staff CSV and the paper-ratings CSV, each checked whole before anything is
written (upload, preview, confirm)."""
