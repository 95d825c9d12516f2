"""The pupil import: one school at a time, from a CSV export of the pupil administration.

`domain` reads and checks the file (pure); `services` compares it with the database and writes it
in one transaction; `views` are the functional administrator's pages under /beheer/import/.
The column specification is in docs/import.md.
"""
