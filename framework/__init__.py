"""The competency framework: its versions, their editor, import and export, and its rules."""
