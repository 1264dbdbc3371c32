"""Figures of a case's roster on a day, shared by the roster page and the API."""

from collections import Counter


def roster_figures(memberships):
    """Members in all, women, ethnic minority, and the count per ethnicity."""
    people = [m.person for m in memberships]
    return {
        "total": len(people),
        "women": sum(1 for p in people if p.gender == "female"),
        "minority": sum(1 for p in people if p.is_ethnic_minority),
        "by_ethnicity": sorted(Counter(p.ethnicity or "—" for p in people).items()),
    }
