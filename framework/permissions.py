"""Who may see or change the framework. Every framework view asks here."""

HR_GROUP = "hr"


def is_hr(user):
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(group.name == HR_GROUP for group in user.groups.all())


def can_view_framework(user):
    """Everyone who works here reads the framework they are assessed against."""
    return user.is_authenticated and user.is_active


def can_edit_framework(user):
    return is_hr(user)
