"""After the load: is every acknowledged save in the database? Read through the ORM (the
same DATABASE_URL as the server), self-ratings and self-comments of the assessments saved."""

from assessments.models import CompetencyComment, Rating, Role


def stored(assessments):
    """{(assessment, "r" or "c", id): value} of the self track, as the database has it."""
    found = {}
    ratings = Rating.objects.filter(assessment_id__in=assessments, role=Role.SELF)
    for assessment, indicator, value in ratings.values_list(
        "assessment_id", "indicator_id", "value"
    ):
        found[(assessment, "r", indicator)] = value
    comments = CompetencyComment.objects.filter(assessment_id__in=assessments, role=Role.SELF)
    for assessment, competency, text in comments.values_list(
        "assessment_id", "competency_id", "text"
    ):
        found[(assessment, "c", competency)] = text
    return found


def lost(expected):
    """The fields whose stored value is none of those the server may have written: a rating
    missing or different, a comment different (an empty comment may have no row)."""
    found = stored({assessment for assessment, _kind, _id in expected})
    missing = []
    for key, candidates in expected.items():
        default = "" if key[1] == "c" else None
        if found.get(key, default) not in candidates:
            missing.append((key, sorted(candidates, key=str), found.get(key)))
    return missing


def attempt_records(usernames):
    """django-axes' records of failed logins of these usernames: (username, failures, size in
    bytes of the text it keeps of every attempt's form)."""
    from axes.models import AccessAttempt
    from django.db.models.functions import Length

    records = AccessAttempt.objects.filter(username__in=usernames).annotate(
        size=Length("post_data") + Length("get_data")
    )
    return [(r.username, r.failures_since_start, r.size) for r in records.order_by("username")]
