"""The reports app keeps no table of its own: it reads the counts the domains keep
(`abwab.people.models.tallies`: members and sign-ups; `abwab.campaigns.models.VisitTally`:
visitors). Its migrations created those tables, which moved to their owners without moving data."""
