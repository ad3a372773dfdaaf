"""`import_ratings FILE --cycle CODE`: ratings keyed in from paper forms, all rows or none."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from assessments.imports import ratings as ratings_import
from assessments.models import Cycle
from competency_portal.lib.commands import PortalCommand
from competency_portal.lib.textguard import clean_text
from framework.permissions import HR_GROUP


class Command(PortalCommand):
    help = _(
        "Import ratings keyed in from paper forms (CSV, UTF-8: employee_code, role, competency, "
        "level, indicator, value) into a round: all rows or none. Each error is reported with "
        "its line and column."
    )

    def add_arguments(self, parser):
        add_file_arguments(
            parser,
            _(
                "Username of the HR officer who keys the ratings in (default: the first HR "
                "account)."
            ),
        )
        parser.add_argument(
            "--submit",
            action="store_true",
            help=_("Also submit every track of the file that is then completely rated."),
        )

    def handle(self, *args, file, cycle, dry_run, submit, by, **options):
        round_, source = round_and_file(cycle, file)
        user = hr_account(by, required=not dry_run)
        try:
            report = ratings_import.import_ratings(
                rows_or_file=source, cycle=round_, by=user, dry_run=dry_run, submit=submit
            )
        except ratings_import.ImportErrors as errors:
            raise refused(self, errors) from None
        self.write_summary(report, user)

    def write_summary(self, report, user):
        if report.dry_run:
            self.stdout.write(_("Dry run: nothing was changed."))
        for row in report.rows:
            self.stdout.write(
                _(
                    "%(code)s %(name)s, %(role)s: ratings: %(ratings)d (new: %(new)d, "
                    "changed: %(changed)d, unchanged: %(same)d)"
                )
                % {
                    "code": row.employee_code,
                    "name": row.full_name,
                    "role": row.role,
                    "ratings": row.ratings,
                    "new": row.new,
                    "changed": row.changed,
                    "same": row.same,
                }
            )
        summary = _(
            "Round %(code)s. People: %(people)d; ratings: %(ratings)d (new: %(new)d, "
            "changed: %(changed)d, unchanged: %(same)d); keyed in by %(user)s."
        ) % {
            "code": report.cycle.code,
            "ratings": report.ratings,
            "people": report.people,
            "new": report.new,
            "changed": report.changed,
            "same": report.same,
            "user": user.get_username() if user else "-",
        }
        self.stdout.write(self.style.SUCCESS(summary))
        if report.submit:
            self.stdout.write(_("Tracks submitted: %(count)d.") % {"count": len(report.submitted)})
            for row in report.incomplete:
                self.stdout.write(
                    self.style.WARNING(
                        _("Not submitted, %(missing)d indicators not rated: %(name)s, %(role)s")
                        % {"missing": row.missing, "name": row.full_name, "role": row.role}
                    )
                )


def add_file_arguments(parser, by_help):
    """FILE, --cycle, --dry-run and --by: what every import of a file into a round takes."""
    parser.add_argument("file", type=Path)
    parser.add_argument("--cycle", required=True, type=clean_text, help="2569-1")
    parser.add_argument(
        "--dry-run", action="store_true", help=_("Check the file and change nothing.")
    )
    parser.add_argument("--by", default=None, type=clean_text, help=by_help)


def round_and_file(code, file):
    """The round `code` and the bytes of `file`, or a CommandError saying why not."""
    round_ = Cycle.objects.filter(code=code).select_related("framework").first()
    if round_ is None:
        raise CommandError(_("Round %(code)s does not exist.") % {"code": code})
    try:
        return round_, file.read_bytes()
    except OSError as error:
        raise CommandError(
            _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
        ) from None


def refused(command, errors):
    """Every problem of a refused file on stderr, and the CommandError that ends the command."""
    for message in errors.messages:
        command.stderr.write(message)
    return CommandError(
        _("Nothing was imported (errors: %(count)d).") % {"count": len(errors.messages)}
    )


def hr_account(username=None, required=True):
    """The login the ratings are recorded under: the one named, which must be HR, or else the
    first HR account (members of the HR group before superusers). None only when not
    `required` (a dry run writes nothing) and there is no HR account."""
    users = get_user_model().objects.filter(is_active=True)
    hr = users.filter(Q(groups__name=HR_GROUP) | Q(is_superuser=True)).distinct()
    if username:
        user = hr.filter(username=username).first()
        if user is None:
            raise CommandError(
                _('"%(username)s" is not an active HR account.') % {"username": username}
            )
        return user
    user = hr.filter(groups__name=HR_GROUP).order_by("pk").first() or hr.order_by("pk").first()
    if user is None and required:
        raise CommandError(_("There is no active HR account to record the ratings under."))
    return user
