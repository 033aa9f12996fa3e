"""Office holders of the party's bodies and elected mandates: rules, services, selectors, views, API.

Services are in `services`, reads in `selectors` (`officials_for` gives who holds what at a date),
the rules a body's kind sets (which functions it expects, which have one holder) in `rules`.
"""
